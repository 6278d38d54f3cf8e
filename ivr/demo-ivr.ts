/**
 * The demo IVR: signs in to the signaling server as a contact, answers every
 * call with its own IvrCall (several callers at once, up to `maxCalls`), and
 * routes each caller's signals and `dtmf` messages to their call.
 *
 * Callers are strangers, so what one can make it do is bounded: an offer with
 * more than two media sections, or two that do not share one transport
 * (BUNDLE), is refused with hang-up `failed`; a caller beyond `maxCalls` gets
 * hang-up `busy`; a caller's new offer replaces their call rather than adding
 * one. Each refusal is logged.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from '../common/logger.ts';
import type { InboundRoutedMessage } from '../common/signaling-client.ts';
import { SignalingClient, type SignalingClientOptions } from '../common/signaling-client.ts';
import type { HangupReason, SessionDescription } from '../common/signaling-protocol.ts';
import { IvrCall } from './ivr-call.ts';
import { menuPrompts, parseMenu, type MenuDefinition } from './menu.ts';
import demoMenuData from './menus/demo-menu.json' with { type: 'json' };
import { defaultPromptsDir, loadPrompts } from './prompts.ts';
import { offerShapeProblem } from './sdp-offer-filter.ts';
import type { AudioOptions, IvrEvents, IvrTimings } from './types.ts';

export type { AudioOptions, CallEvent, DigitEvent, DigitVia, IvrTimings, MenuEvent, MenuEventAction, NegotiatedAudio } from './types.ts';
export type { MenuDefinition } from './menu.ts';

export const DEFAULT_IVR_NAME = 'Demo IVR';
export const DEFAULT_AUDIO: AudioOptions = { codec: 'opus', telephoneEventRates: [48000, 8000] };
export const DEFAULT_TIMINGS: Required<IvrTimings> = { entryTimeoutMs: 8000, connectTimeoutMs: 30_000, signInTimeoutMs: 10_000 };
/** Calls in progress at once; one more caller hears `busy`. */
export const DEFAULT_MAX_CALLS = 4;

/** Signing in with the per-user local key (common/local-key.ts), as the embedded server asks. */
export interface IvrKeyAuth {
  localKey: Buffer;
  /** Sign in as a service of the user's own: the server does not throttle it. */
  service?: boolean;
}


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
  /** Calls in progress at once (default DEFAULT_MAX_CALLS); a caller beyond it gets hang-up `busy`. */
  maxCalls?: number;
  /** Sign in with the local key (the embedded server needs it). */
  auth?: IvrKeyAuth;
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
    private readonly maxCalls: number,
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
        this.onOffer(caller, message.callId, message.sdp, call);
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

  /** Refuses what the IVR will not take; otherwise starts the call now, so the cap counts it at once. */
  private onOffer(caller: string, callId: string | undefined, offer: SessionDescription, previous: IvrCall | undefined): void {
    const problem = offerShapeProblem(offer.sdp);
    if (problem) {
      this.log.warn({ caller, callId, problem }, 'refused a call: unacceptable offer');
      this.refuse(caller, callId, 'failed');
      return;
    }
    // A new offer from someone already in a call replaces that call (they redialled), so it does not count twice.
    if (!previous && this.calls.size >= this.maxCalls) {
      this.log.warn({ caller, callId, calls: this.calls.size, maxCalls: this.maxCalls }, 'refused a call: all lines busy');
      this.refuse(caller, callId, 'busy');
      return;
    }
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
    void this.answer(call, offer, previous);
  }

  private refuse(caller: string, callId: string | undefined, reason: HangupReason): void {
    try {
      this.client.send({ type: 'hang-up', target: caller, callId, reason });
    } catch (error) {
      this.log.warn({ err: error, caller }, 'could not send a refusal');
    }
  }

  private async answer(call: IvrCall, offer: SessionDescription, previous: IvrCall | undefined): Promise<void> {
    const { caller, callId } = call;
    if (previous) await previous.close('the caller called again');
    try {
      const answer = await call.answer({ type: 'offer', sdp: offer.sdp });
      if (call !== this.calls.get(caller) || this.stopped) {
        // Replaced by a newer offer (or the IVR stopped) while answering: this one must not linger.
        await call.close('superseded before it was answered');
        return;
      }
      this.client.send({ type: 'video-answer', target: caller, callId, sdp: answer, features: this.signalingDtmf ? ['dtmf-signaling'] : [] });
      call.answerSent();
    } catch (error) {
      if (call !== this.calls.get(caller) || this.stopped) {
        // Closed under it by a newer offer (or by stop()): nothing went wrong.
        this.log.debug({ err: error, caller, callId }, 'stopped answering a superseded call');
        await call.close('superseded before it was answered');
        return;
      }
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
  const maxCalls = options.maxCalls ?? DEFAULT_MAX_CALLS;
  if (!(Number.isInteger(maxCalls) && maxCalls >= 1)) throw new RangeError(`maxCalls must be a whole number of at least 1, not ${maxCalls}`);
  const clientOptions: SignalingClientOptions = { url: options.serverUrl, name: requestedName, log, ...(options.auth ? { auth: options.auth } : {}) };
  const client = new SignalingClient(clientOptions);
  const ivr = new DemoIvrImpl(client, requestedName, { menu, prompts, audio, timings }, options.signalingDtmf ?? true, maxCalls, log);
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
  log.info({ signedInAs: ivr.name, server: options.serverUrl, audio, maxCalls, keyAuth: options.auth ? { service: options.auth.service ?? false } : false }, 'demo IVR signed in');
  return ivr;
}
