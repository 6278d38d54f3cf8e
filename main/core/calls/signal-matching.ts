/**
 * Which call a signal belongs to — so that a call never changes hands.
 *
 * Our own clients put the call's id on every signal; such a call accepts only
 * signals that carry that id, from the peer's name. A client that sends no
 * call ids (the MDN tutorial's) is bound instead to the server session (`sid`,
 * stamped by the server) that offered or answered the call: a signal without
 * a call id counts only when it comes from that session. Anyone else, even
 * under the same name after a reconnect, is someone else.
 *
 * Pure functions, no WebRTC: the app's call provider (app-calls.ts) asks, and
 * does what they say.
 */
import type { RoutedMessage } from '../../../common/signaling-protocol.ts';

/** A call signal from another user; `name` is the sender, stamped by the server. */
export type InboundSignal = RoutedMessage & { name: string };

/** How the other side of a call is recognised. */
export type PeerBinding =
  /** Every signal carries the call id. */
  | { readonly kind: 'call-id' }
  /** A call we placed and nobody has answered yet: the answer tells which kind of peer it is. */
  | { readonly kind: 'unconfirmed' }
  /**
   * A peer that sends no call ids, bound to the server session of its offer or
   * answer. `sid` is undefined only with a server that stamps no sessions.
   */
  | { readonly kind: 'session'; readonly sid: string | undefined };

export interface CallIdentity {
  readonly id: string;
  readonly peer: string;
  readonly binding: PeerBinding;
}

export type OfferSignal = Extract<InboundSignal, { type: 'video-offer' }>;
export type InCallSignal = Exclude<InboundSignal, OfferSignal>;

export type SignalVerdict =
  /** Belongs to the call. */
  | 'ours'
  /** The first answer without a call id to a call we placed: it binds the call to its session. */
  | 'binds'
  /** Might belong to the call once an answer binds it (an early candidate from a peer without call ids). */
  | 'hold'
  /** Not this call's: ignore it. */
  | 'foreign';

/** Whether an in-call signal (answer, candidate, hang-up, ringing, keys) belongs to the call. */
export function matchSignal(call: CallIdentity, signal: InCallSignal): SignalVerdict {
  if (signal.name !== call.peer) return 'foreign';
  if (signal.callId !== undefined) return signal.callId === call.id ? 'ours' : 'foreign';
  switch (call.binding.kind) {
    case 'call-id':
      return 'foreign';
    case 'session':
      return signal.sid === call.binding.sid ? 'ours' : 'foreign';
    case 'unconfirmed':
      if (signal.type === 'video-answer') return 'binds';
      if (signal.type === 'new-ice-candidate') return 'hold';
      return 'foreign';
  }
}

/** How the binding changes once a signal was found to be ours. */
export function bindingAfter(call: CallIdentity, signal: InCallSignal): PeerBinding {
  if (call.binding.kind !== 'unconfirmed') return call.binding;
  return signal.callId === undefined ? { kind: 'session', sid: signal.sid } : { kind: 'call-id' };
}

/** The binding of an incoming call, from its offer. */
export function bindingOfOffer(offer: OfferSignal): PeerBinding {
  return offer.callId === undefined ? { kind: 'session', sid: offer.sid } : { kind: 'call-id' };
}

export type OfferVerdict =
  /** No call in progress: a new call. */
  | 'new-call'
  /** The same peer changing the media of the answered call: answer it. */
  | 'renegotiation'
  /** The same call offering again before it was answered: ignore it. */
  | 'repeat'
  /** Not this call: another one. */
  | 'another-call';

/**
 * What to do with an offer, given the call in progress (null when there is
 * none). Only the same call id — or, for a peer without call ids, the same
 * name from the same session — counts as the same call.
 */
export function classifyOffer(call: (CallIdentity & { readonly answered: boolean }) | null, offer: OfferSignal): OfferVerdict {
  if (!call) return 'new-call';
  if (!isSameCall(call, offer)) return 'another-call';
  return call.answered ? 'renegotiation' : 'repeat';
}

function isSameCall(call: CallIdentity, offer: OfferSignal): boolean {
  if (offer.name !== call.peer) return false;
  if (offer.callId !== undefined) return offer.callId === call.id;
  return call.binding.kind === 'session' && offer.sid === call.binding.sid;
}

/**
 * Whether the server's refusal of one of our signals concerns the call. Every
 * signal we send for a call carries its id (a made-up one for a peer without
 * call ids), so an error without it — say, for the busy answer to a second
 * caller under the same name — is about something else.
 */
export function isErrorForCall(call: CallIdentity, error: { callId?: string | undefined }): boolean {
  return error.callId !== undefined && error.callId === call.id;
}

/**
 * Candidates held while a call we placed waits for its answer. Only those from
 * the session the answer binds to are used; the rest are dropped.
 */
export class HeldSignals<T extends { sid?: string | undefined }> {
  private held: T[] = [];

  constructor(private readonly limit = 64) {}

  hold(signal: T): void {
    if (this.held.length < this.limit) this.held.push(signal);
  }

  /** Those from `sid`, in arrival order; forgets all of them. */
  release(sid: string | undefined): T[] {
    const released = this.held.filter((s) => s.sid === sid);
    this.held = [];
    return released;
  }

  clear(): void {
    this.held = [];
  }

  get size(): number {
    return this.held.length;
  }
}
