/**
 * Turns the call vocabulary passing through main (the renderer's commands and
 * the providers' events) into call history entries: who, which way, through
 * which account, when, for how long, and how it ended.
 */
import type { CallCommand, CallEndCause, CallEvent } from '../../../common/call-messages.ts';
import type { CallOutcome, HistoryEntry } from '../../../common/history-schema.ts';

interface OpenCall {
  entry: Omit<HistoryEntry, 'outcome' | 'endedAt'>;
}

/** Calls followed at once; beyond that (a flood of incoming calls) the oldest is dropped unrecorded. */
const MAX_OPEN_CALLS = 64;

export class CallRecorder {
  private readonly open = new Map<string, OpenCall>();

  constructor(
    private readonly record: (entry: HistoryEntry) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** A command from the renderer, before it is carried out. */
  command(command: CallCommand): void {
    switch (command.kind) {
      case 'place':
        return this.start(command.callId, {
          direction: 'outgoing',
          account: command.account,
          address: command.to,
          displayName: null,
          video: command.video,
        });
      case 'answer':
        return this.answered(command.callId, 'incoming');
      case 'end':
        return this.finish(command.callId, outcomeOfOurEnd(this.open.get(command.callId), command.cause));
    }
  }

  /** A place command the provider could not carry out. */
  placeFailed(callId: string): void {
    this.finish(callId, 'failed');
  }

  /** An event from a provider. */
  event(event: CallEvent): void {
    switch (event.kind) {
      case 'incoming':
        return this.start(event.callId, {
          direction: 'incoming',
          account: event.account,
          address: event.from,
          displayName: event.displayName ?? null,
          video: event.video,
        });
      case 'answer':
        if (!event.early) this.answered(event.callId, 'outgoing');
        return;
      case 'accepted':
        return this.answered(event.callId, 'outgoing');
      case 'end':
        return this.finish(event.callId, outcomeOfTheirEnd(this.open.get(event.callId), event.cause));
    }
  }

  private start(callId: string, fields: Pick<HistoryEntry, 'direction' | 'account' | 'address' | 'displayName' | 'video'>): void {
    if (this.open.size >= MAX_OPEN_CALLS) this.open.delete(this.open.keys().next().value!);
    this.open.set(callId, { entry: { id: callId, ...fields, startedAt: this.now(), answeredAt: null } });
  }

  private answered(callId: string, direction: HistoryEntry['direction']): void {
    const call = this.open.get(callId);
    if (call && call.entry.direction === direction && call.entry.answeredAt === null) call.entry.answeredAt = this.now();
  }

  private finish(callId: string, outcome: CallOutcome | null): void {
    const call = this.open.get(callId);
    if (!call || outcome === null) return;
    this.open.delete(callId);
    this.record({ ...call.entry, outcome, endedAt: this.now() });
  }
}

/** We ended the call: hung up, cancelled, declined, or refused it while busy. */
function outcomeOfOurEnd(call: OpenCall | undefined, cause: CallEndCause): CallOutcome | null {
  if (!call) return null;
  if (call.entry.answeredAt !== null) return 'answered';
  if (call.entry.direction === 'outgoing') {
    if (cause === 'no-answer') return 'no-answer';
    return cause === 'failed' ? 'failed' : 'cancelled';
  }
  if (cause === 'busy') return 'missed';
  return cause === 'failed' ? 'failed' : 'declined';
}

/** The other side or the network ended the call. */
function outcomeOfTheirEnd(call: OpenCall | undefined, cause: CallEndCause): CallOutcome | null {
  if (!call) return null;
  if (call.entry.answeredAt !== null) return 'answered';
  if (call.entry.direction === 'incoming') return 'missed';
  switch (cause) {
    case 'busy':
    case 'declined':
    case 'failed':
      return cause;
    default:
      return 'no-answer';
  }
}
