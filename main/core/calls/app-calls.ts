/**
 * Calls through the app's own signaling server: the call vocabulary in
 * `video-offer`, `video-answer`, `new-ice-candidate`, `hang-up`, `ringing`
 * and `dtmf` on the wire, and back.
 *
 * A call never changes hands (signal-matching.ts): our clients put the call
 * id on every signal; the MDN tutorial's client sends none, and its call is
 * bound to the server session that offered or answered it. Every incoming
 * call gets an id made here, so a peer cannot name another call than its own.
 */
import { APP_ACCOUNT, type CallCommand, type CallEndCause } from '../../../common/call-messages.ts';
import type { Logger } from '../../../common/logger.ts';
import { HangupReason, type Feature, type RoutedMessage } from '../../../common/signaling-protocol.ts';
import type { CallProvider, CallSink } from './call-provider.ts';
import {
  bindingAfter,
  bindingOfOffer,
  classifyOffer,
  HeldSignals,
  isErrorForCall,
  matchSignal,
  type CallIdentity,
  type InboundSignal,
  type InCallSignal,
  type OfferSignal,
  type PeerBinding,
} from './signal-matching.ts';

/** What this softphone tells every peer it can do: main takes keys over signaling for the renderer. */
const OUR_FEATURES: Feature[] = ['dtmf-signaling'];

type CandidateSignal = Extract<InCallSignal, { type: 'new-ice-candidate' }>;

interface AppCall {
  readonly id: string;
  readonly peer: string;
  readonly direction: 'outgoing' | 'incoming';
  /** The id on the wire: ours for calls we place, the caller's (or ours, for a tutorial caller) for incoming ones. */
  readonly wireId: string;
  /** Tutorial callers send no call ids and know nothing of `ringing`. */
  readonly peerSendsIds: boolean;
  binding: PeerBinding;
  /** Offer and answer exchanged: a new offer from the same call is a renegotiation. */
  answered: boolean;
  /** Candidates without a call id that arrived before the answer that says whose they are. */
  readonly held: HeldSignals<CandidateSignal>;
}

export interface AppCallsOptions {
  /** Sends on the current signaling connection; throws when there is none. */
  send(message: RoutedMessage): void;
  sink: CallSink;
  newCallId(): string;
  log: Logger;
}

export class AppCalls implements CallProvider {
  readonly account = APP_ACCOUNT;
  private readonly calls = new Map<string, AppCall>();

  constructor(private readonly options: AppCallsOptions) {}

  handle(command: CallCommand): void {
    if (command.kind === 'place') return this.place(command);
    const call = this.calls.get(command.callId);
    if (!call) throw new Error(`No call with id ${command.callId}`);
    const route = { target: call.peer, callId: call.wireId };
    switch (command.kind) {
      case 'ringing':
        if (call.peerSendsIds) this.options.send({ type: 'ringing', ...route });
        return;
      case 'answer':
        this.options.send({ type: 'video-answer', ...route, sdp: command.answer, features: OUR_FEATURES });
        call.answered = true;
        return;
      case 'candidate':
        return this.options.send({ type: 'new-ice-candidate', ...route, candidate: command.candidate });
      case 'keys':
        return this.options.send({ type: 'dtmf', ...route, tones: command.tones, durationMs: command.durationMs });
      case 'end':
        this.forget(call);
        return this.options.send({ type: 'hang-up', ...route, reason: wireReason(command.cause) });
    }
  }

  /** A routed message from another user, as the server delivered it. */
  receive(signal: InboundSignal): void {
    if (signal.type === 'video-offer') return this.receiveOffer(signal);
    for (const call of this.calls.values()) {
      const verdict = matchSignal(identity(call), signal);
      if (verdict === 'foreign') continue;
      if (verdict === 'hold') {
        if (signal.type === 'new-ice-candidate') call.held.hold(signal);
        return;
      }
      return this.deliver(call, signal);
    }
  }

  /** The server refused one of our signals (say, the callee is not online). */
  refused(error: { code: string; message: string; callId?: string | undefined }): void {
    for (const call of this.calls.values()) {
      if (!isErrorForCall(identity(call), error)) continue;
      this.forget(call);
      if (error.code === 'unknown-target') this.emitEnd(call, 'offline');
      else this.emitEnd(call, 'failed', `The server refused the call: ${error.message}`);
      return;
    }
  }

  private place(command: Extract<CallCommand, { kind: 'place' }>): void {
    const call = this.remember({
      id: command.callId,
      peer: command.to,
      direction: 'outgoing',
      wireId: command.callId,
      peerSendsIds: true,
      // Our own calls wait for the answer to learn whether the peer sends call ids.
      binding: { kind: 'unconfirmed' },
    });
    try {
      this.options.send({ type: 'video-offer', target: command.to, callId: command.callId, sdp: command.offer, video: command.video, features: OUR_FEATURES });
    } catch (error) {
      this.forget(call);
      throw error;
    }
  }

  private receiveOffer(signal: OfferSignal): void {
    for (const call of this.calls.values()) {
      const verdict = classifyOffer({ ...identity(call), answered: call.answered }, signal);
      if (verdict === 'renegotiation') {
        // The same peer changing the media of this call (the tutorial client does on track changes).
        return this.options.sink.emit({ kind: 'offer', callId: call.id, offer: signal.sdp });
      }
      if (verdict === 'repeat') {
        this.options.log.warn({ peer: signal.name }, 'ignoring a repeated offer before the call was answered');
        return;
      }
    }
    const id = this.options.newCallId();
    if (!this.options.sink.canAdmit()) {
      this.options.send({ type: 'hang-up', target: signal.name, callId: signal.callId ?? id, reason: 'busy' });
      return;
    }
    this.remember({
      id,
      peer: signal.name,
      direction: 'incoming',
      wireId: signal.callId ?? id,
      peerSendsIds: signal.callId !== undefined,
      binding: bindingOfOffer(signal),
    });
    this.options.sink.emit({
      kind: 'incoming',
      callId: id,
      account: APP_ACCOUNT,
      from: signal.name,
      offer: signal.sdp,
      video: signal.video ?? /^m=video /m.test(signal.sdp.sdp),
      trickle: true,
      features: signal.features ?? [],
    });
  }

  private deliver(call: AppCall, signal: InCallSignal): void {
    const { sink } = this.options;
    const before = call.binding;
    call.binding = bindingAfter(identity(call), signal);
    // The answer that bound the call says which held candidates were its own.
    const early = before !== call.binding && call.binding.kind === 'session' ? call.held.release(call.binding.sid) : [];
    call.held.clear();
    switch (signal.type) {
      case 'ringing':
        return sink.emit({ kind: 'ringing', callId: call.id });
      case 'video-answer':
        if (call.direction !== 'outgoing' || call.answered) return;
        call.answered = true;
        sink.emit({ kind: 'answer', callId: call.id, answer: signal.sdp, early: false, features: signal.features ?? [] });
        for (const held of early) sink.emit({ kind: 'candidate', callId: call.id, candidate: held.candidate });
        return;
      case 'new-ice-candidate':
        return sink.emit({ kind: 'candidate', callId: call.id, candidate: signal.candidate });
      case 'dtmf':
        return sink.emit({ kind: 'keys', callId: call.id, tones: signal.tones });
      case 'hang-up':
        this.forget(call);
        return this.emitEnd(call, signal.reason ?? 'hangup');
    }
  }

  private remember(fields: Omit<AppCall, 'answered' | 'held'>): AppCall {
    const call: AppCall = { ...fields, answered: false, held: new HeldSignals() };
    this.calls.set(call.id, call);
    return call;
  }

  private forget(call: AppCall): void {
    call.held.clear();
    this.calls.delete(call.id);
  }

  private emitEnd(call: AppCall, cause: CallEndCause, message?: string): void {
    this.options.sink.emit({ kind: 'end', callId: call.id, cause, ...(message ? { message } : {}) });
  }
}

function identity(call: AppCall): CallIdentity {
  return { id: call.wireId, peer: call.peer, binding: call.binding };
}

function wireReason(cause: CallEndCause): HangupReason {
  const parsed = HangupReason.safeParse(cause);
  return parsed.success ? parsed.data : 'failed';
}
