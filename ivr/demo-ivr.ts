/**
 * The demo IVR: signs in to the signaling server as a contact, answers every
 * call with its own IvrCall (several callers at once), and routes each
 * caller's signals and `dtmf` messages to their call.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from '../common/logger.ts';
import type { InboundRoutedMessage } from '../common/signaling-client.ts';
import { SignalingClient } from '../common/signaling-client.ts';
import { IvrCall } from './ivr-call.ts';
import { menuPrompts, parseMenu, type MenuDefinition } from './menu.ts';
import demoMenuData from './menus/demo-menu.json' with { type: 'json' };
import { defaultPromptsDir, loadPrompts } from './prompts.ts';
import type { AudioOptions, IvrEvents, IvrTimings } from './types.ts';

export type { AudioOptions, CallEvent, DigitEvent, DigitVia, IvrTimings, MenuEvent, MenuEventAction, NegotiatedAudio } from './types.ts';
export type { MenuDefinition } from './menu.ts';

export const DEFAULT_IVR_NAME = 'Demo IVR';
export const DEFAULT_AUDIO: AudioOptions = { codec: 'opus', telephoneEventRates: [48000, 8000] };
export const DEFAULT_TIMINGS: Required<IvrTimings> = { entryTimeoutMs: 8000, connectTimeoutMs: 30_000, signInTimeoutMs: 10_000 };

/** The menu shipped in ivr/menus/demo-menu.json. */
export function demoMenu(): MenuDefinition {
  return parseMenu(demoMenuData, 'ivr/menus/demo-menu.json');
}

export interface DemoIvrOptions {
  serverUrl: string;
  name?: string;
  menu?: MenuDefinition;
  audio?: AudioOptions;
  timings?: IvrTimings;
  /** Folder of <prompt id>.wav files; defaults to the committed ivr/prompts. */
  promptsDir?: string;
  /**
   * Whether it announces and accepts keys over signaling (default true). Off,
   * it is like a plain gateway that hears only RFC 4733 and in-band keys.
   */
  signalingDtmf?: boolean;
  log: Logger;
}

export interface DemoIvr extends EventEmitter<IvrEvents> {
  /** The name the server actually gave it (it may differ from the one asked for if that was taken). */
  readonly name: string;
  /** Callers with a call in progress. */
  callers(): string[];
  /** Hangs up every call and signs out. */
  stop(): Promise<void>;
}

class DemoIvrImpl extends EventEmitter<IvrEvents> implements DemoIvr {
  private readonly calls = new Map<string, IvrCall>();
  private stopped = false;

  constructor(
    private readonly client: SignalingClient,
    private readonly requestedName: string,
    private readonly settings: { menu: MenuDefinition; prompts: Awaited<ReturnType<typeof loadPrompts>>; audio: AudioOptions; timings: Required<IvrTimings> },
    private readonly signalingDtmf: boolean,
    private readonly log: Logger,
  ) {
    super();
    client.on('signal', (message) => {
      try {
        this.onSignal(message);
      } catch (error) {
        this.log.error({ err: error, type: message.type, from: message.name }, 'could not handle a call signal');
      }
    });
  }

  get name(): string {
    return this.client.state.signedInAs ?? this.requestedName;
  }

  callers(): string[] {
    return [...this.calls.keys()];
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all([...this.calls.values()].map((call) => call.hangUp('the IVR is shutting down')));
    await this.client.stop();
  }

  private onSignal(message: InboundRoutedMessage): void {
    if (this.stopped) return;
    const caller = message.name;
    const call = this.calls.get(caller);
    // A signal for an older call of the same caller is stale; one without a call id is the tutorial client's.
    const current = call && (message.callId === undefined || call.callId === undefined || message.callId === call.callId) ? call : undefined;
    switch (message.type) {
      case 'video-offer':
        void this.answer(message.name, message.callId, message.sdp, call);
        return;
      case 'new-ice-candidate':
        if (current) void current.addRemoteCandidate(message.candidate);
        else this.log.debug({ from: caller }, 'ICE candidate for no call');
        return;
      case 'hang-up':
        if (current) void current.close(`the caller hung up${message.reason ? ` (${message.reason})` : ''}`);
        return;
      case 'dtmf':
        if (!this.signalingDtmf) this.log.warn({ from: caller }, 'dtmf message, but this IVR does not take keys over signaling; ignored');
        else if (current) current.receiveSignalingTones(message.tones);
        else this.log.warn({ from: caller, tones: message.tones }, 'dtmf message for no call; ignored');
        return;
      default:
        // The IVR never calls anyone, so answers and ringing are not for it.
        this.log.debug({ type: message.type, from: caller }, 'ignored a call signal');
    }
  }

  private async answer(caller: string, callId: string | undefined, offer: { type: string; sdp: string }, previous: IvrCall | undefined): Promise<void> {
    // A new offer from someone already in a call replaces that call (they redialled).
    if (previous) await previous.close('the caller called again');
    if (this.stopped) return;
    const call = new IvrCall({
      caller,
      callId,
      ...this.settings,
      log: this.log,
      signal: (message) => this.client.send(message),
    });
    this.calls.set(caller, call);
    call.on('digit', (event) => this.emit('digit', event));
    call.on('menu', (event) => this.emit('menu', event));
    call.on('call', (event) => {
      if (event.state === 'ended' && this.calls.get(caller) === call) this.calls.delete(caller);
      this.emit('call', event);
    });
    try {
      const answer = await call.answer({ type: 'offer', sdp: offer.sdp });
      if (call !== this.calls.get(caller)) return;
      this.client.send({ type: 'video-answer', target: caller, callId, sdp: answer, features: this.signalingDtmf ? ['dtmf-signaling'] : [] });
      call.answerSent();
    } catch (error) {
      this.log.warn({ err: error, caller }, 'could not answer a call');
      await call.hangUp(`could not answer: ${(error as Error).message}`, 'failed');
    }
  }
}

/** Starts the IVR and resolves once the server has confirmed its name. */
export async function startDemoIvr(options: DemoIvrOptions): Promise<DemoIvr> {
  const timings = { ...DEFAULT_TIMINGS, ...options.timings };
  const menu = options.menu ?? demoMenu();
  const audio = options.audio ?? DEFAULT_AUDIO;
  if (audio.telephoneEventRates.length === 0) throw new Error('The IVR needs at least one telephone-event rate');
  const log = options.log.child({ component: 'demo-ivr' });
  const prompts = await loadPrompts(menuPrompts(menu).keys(), options.promptsDir ?? defaultPromptsDir(), log);
  const requestedName = options.name ?? DEFAULT_IVR_NAME;
  const client = new SignalingClient({ url: options.serverUrl, name: requestedName, log });
  const ivr = new DemoIvrImpl(client, requestedName, { menu, prompts, audio, timings }, options.signalingDtmf ?? true, log);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('state', onState);
      void client.stop();
      reject(new Error(`The demo IVR could not sign in to ${options.serverUrl} within ${timings.signInTimeoutMs} ms (${client.state.lastError ?? 'no answer'})`));
    }, timings.signInTimeoutMs);
    const onState = () => {
      if (client.state.signedInAs === null) return;
      clearTimeout(timer);
      client.off('state', onState);
      resolve();
    };
    client.on('state', onState);
    client.start();
  });
  log.info({ signedInAs: ivr.name, server: options.serverUrl, audio }, 'demo IVR signed in');
  return ivr;
}
