/**
 * The call vocabulary between the renderer and main: what one side of a call
 * says, whatever carries it. The renderer speaks only this; main translates
 * it for each kind of account (the app's signaling server: `video-offer` and
 * friends; a SIP account: INVITE, 18x, 200, BYE, INFO). Wire formats never
 * cross the IPC bridge.
 *
 * Call ids are chosen by the renderer for calls it places and by main for
 * calls that come in; a peer never chooses them, so a peer cannot address
 * another call than its own.
 */
import { z } from 'zod';
import { DtmfTones, IceCandidate, SessionDescription } from './signaling-protocol.ts';

export const LocalCallId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'A call id is 1-64 letters, digits, _ or -');
export type LocalCallId = z.infer<typeof LocalCallId>;

/** The app's own signaling server is account `app`; SIP accounts are `sip-…`. */
export const AccountId = z.string().regex(/^(app|sip-[a-z0-9]{1,32})$/, 'An account id is "app" or "sip-" and up to 32 letters or digits');
export type AccountId = z.infer<typeof AccountId>;
export const APP_ACCOUNT: AccountId = 'app';

/** Whom to call: an app user name, a SIP address, an extension or a phone number. */
export const CallAddress = z.string().trim().min(1, 'Say whom to call').max(256, 'An address can be at most 256 characters');

/** Why a call ended, as the other side or its network said it. */
export const CallEndCause = z.enum([
  'hangup',
  'declined',
  'busy',
  'no-answer',
  'cancelled',
  'failed',
  /** Nobody by that name is reachable now (app: not signed in; SIP: 404/480). */
  'offline',
]);
export type CallEndCause = z.infer<typeof CallEndCause>;

const id = { callId: LocalCallId };
const features = z.array(z.string().max(64)).max(32);

/** What the renderer tells main about one of its calls. */
export const CallCommand = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('place'),
    ...id,
    account: AccountId,
    to: CallAddress,
    video: z.boolean(),
    /** With every candidate in it when the account does not trickle. */
    offer: SessionDescription,
  }),
  /** The incoming call is ringing here. */
  z.object({ kind: z.literal('ringing'), ...id }),
  /** Accept the incoming call with this answer, or answer a renegotiation. */
  z.object({ kind: z.literal('answer'), ...id, answer: SessionDescription }),
  z.object({ kind: z.literal('candidate'), ...id, candidate: IceCandidate }),
  /** Hang up, cancel, decline (`declined`) or refuse as busy (`busy`). */
  z.object({ kind: z.literal('end'), ...id, cause: CallEndCause }),
  /** Key presses to send as messages (app signaling or SIP INFO) rather than in the media. */
  z.object({ kind: z.literal('keys'), ...id, tones: DtmfTones, durationMs: z.number().int().min(40).max(6000) }),
]);
export type CallCommand = z.infer<typeof CallCommand>;

/** What main tells the renderer about a call. */
export const CallEvent = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('incoming'),
    ...id,
    account: AccountId,
    /** Who calls: an app user name or a SIP address. */
    from: z.string().max(256),
    /** The caller's display name, when the network gave one. */
    displayName: z.string().max(128).optional(),
    offer: SessionDescription,
    /** Whether the caller sends video. */
    video: z.boolean(),
    /** Whether candidates may follow the answer one by one; false: the answer must carry them all. */
    trickle: z.boolean(),
    /** The caller takes keys as messages (app `dtmf-signaling`, or a SIP account set to SIP INFO). */
    features,
  }),
  z.object({ kind: z.literal('ringing'), ...id }),
  /**
   * The other side's answer. `early`: media before the call is accepted (SIP
   * 183: ringback or an announcement), the call still rings until `accepted`.
   */
  z.object({ kind: z.literal('answer'), ...id, answer: SessionDescription, early: z.boolean(), features }),
  /** An early-media call was accepted (SIP 200 after a 183). */
  z.object({ kind: z.literal('accepted'), ...id }),
  /** The other side changes the media of an accepted call: answer with an `answer` command. */
  z.object({ kind: z.literal('offer'), ...id, offer: SessionDescription }),
  z.object({ kind: z.literal('candidate'), ...id, candidate: IceCandidate }),
  z.object({ kind: z.literal('keys'), ...id, tones: DtmfTones }),
  z.object({
    kind: z.literal('end'),
    ...id,
    cause: CallEndCause,
    /** Words for the user when the network gave more than the cause, e.g. "The server refused the call: …". */
    message: z.string().max(512).optional(),
  }),
]);
export type CallEvent = z.infer<typeof CallEvent>;
