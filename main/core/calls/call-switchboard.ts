/**
 * Routes the renderer's call commands to the provider that owns each call,
 * and the providers' events to the renderer. It remembers which provider owns
 * which call id and forgets a call once either side ended it.
 */
import type { CallCommand, CallEvent, LocalCallId } from '../../../common/call-messages.ts';
import type { CallProvider, CallSink } from './call-provider.ts';

/** Calls main carries at once (ringing ones included); beyond that, callers hear busy. */
export const MAX_LIVE_CALLS = 8;

export class CallSwitchboard {
  private readonly providers = new Map<string, CallProvider>();
  private readonly owners = new Map<LocalCallId, CallProvider>();

  constructor(private readonly emit: (event: CallEvent) => void) {}

  /** The sink a provider reports to. */
  sinkFor(provider: () => CallProvider): CallSink {
    return {
      canAdmit: () => this.owners.size < MAX_LIVE_CALLS,
      emit: (event) => {
        if (event.kind === 'incoming') this.owners.set(event.callId, provider());
        else if (this.owners.get(event.callId) !== provider()) return;
        if (event.kind === 'end') this.owners.delete(event.callId);
        this.emit(event);
      },
    };
  }

  add(provider: CallProvider): void {
    this.providers.set(provider.account, provider);
  }

  /** Stops routing to an account's provider; its calls are forgotten (the provider ends them on its wire). */
  async remove(account: string): Promise<void> {
    const provider = this.providers.get(account);
    if (!provider) return;
    this.providers.delete(account);
    for (const [callId, owner] of this.owners) {
      if (owner !== provider) continue;
      this.owners.delete(callId);
      this.emit({ kind: 'end', callId, cause: 'failed', message: 'The account of this call was removed.' });
    }
    await provider.close?.();
  }

  async handle(command: CallCommand): Promise<void> {
    if (command.kind === 'place') {
      if (this.owners.has(command.callId)) throw new Error(`A call with id ${command.callId} already exists`);
      if (this.owners.size >= MAX_LIVE_CALLS) throw new Error(`At most ${MAX_LIVE_CALLS} calls at once`);
      const provider = this.providers.get(command.account);
      if (!provider) throw new Error(`No account "${command.account}"`);
      this.owners.set(command.callId, provider);
      try {
        await provider.handle(command);
      } catch (error) {
        this.owners.delete(command.callId);
        throw error;
      }
      return;
    }
    const provider = this.owners.get(command.callId);
    if (!provider) {
      // Ending a call the other side ended a moment ago is not an error.
      if (command.kind === 'end') return;
      throw new Error(`No call with id ${command.callId}`);
    }
    if (command.kind === 'end') this.owners.delete(command.callId);
    await provider.handle(command);
  }

  get liveCalls(): number {
    return this.owners.size;
  }
}
