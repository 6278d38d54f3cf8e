/**
 * The signaling wire protocol: every message the server, the softphone's main
 * process and the demo IVR exchange, in one module.
 *
 * It is wire-compatible with the MDN "signaling and video calling" tutorial:
 * JSON text frames, subprotocol `json`, `id` → `username` → `userlist`, and
 * `video-offer` / `video-answer` / `new-ice-candidate` / `hang-up` routed by
 * `target`. Everything the softphone adds (call ids, ringing, hang-up reasons,
 * errors, features, DTMF over signaling) is an optional field or a new message type, so the tutorial's own
 * client can ignore it.
 *
 * `parse*` and `stringify*` both validate, so nothing malformed leaves or
 * enters a process through this module.
 *
 * Signing in, as our clients do it (a tutorial client simply skips the new fields):
 *   server → `id` { id, challenge? }          challenge: present when the server holds a local key
 *   client → `username` { name, features?, auth?, session? }
 *            auth { kind: 'password', password }              accounts mode (sent over wss only)
 *            auth { kind: 'key', nonce, proof, service? }     the embedded server's per-user key:
 *                 proof = keyProof(key, 'client', challenge, nonce)
 *            session: the token a previous `welcome` gave, to get the same name back
 *   server → `welcome` { name, session?, iceServers?, proof? }  proof = keyProof(key, 'server', challenge, nonce):
 *            the client checks it before trusting the server
 *          | `error` { code: auth-required | auth-failed | name-owned | invalid-name, inReplyTo: 'username' }
 *            followed by a close with `SignInRefused`.
 *   server → `userlist` (full, once), then `user-joined` / `user-left` deltas to
 *            clients that announced `presence-delta`; tutorial clients keep getting full lists.
 */
import { z } from 'zod';
import { toTranslate } from './i18n/schema-words.ts';

export const SUBPROTOCOL = 'json';

/** The largest frame a client may send; the server's socket refuses bigger ones (close 1009). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/**
 * The largest frame the server sends: only a full `userlist` of a busy server
 * comes near it (about 30,000 names of average length).
 */
export const MAX_SERVER_MESSAGE_BYTES = 1024 * 1024;
/** @deprecated the client's limit for server frames; kept as an alias for MAX_SERVER_MESSAGE_BYTES. */
export const HARD_MAX_FRAME_BYTES = MAX_SERVER_MESSAGE_BYTES;

/** WebSocket close codes used by the server and understood by the client. */
export enum CloseCode {
  Normal = 1000,
  GoingAway = 1001,
  MessageTooBig = 1009,
  InternalError = 1011,
  /** The server is restarting (graceful shutdown): reconnect at once. */
  ServiceRestart = 1012,
  /** The peer stopped answering pings. */
  HeartbeatTimeout = 4000,
  /** The client did not sign in within the server's deadline. */
  SignInTimeout = 4001,
  /** Sign-in refused (wrong password, name owned by another account, invalid name); an `error` said why. */
  SignInRefused = 4003,
  /** The client kept sending faster than the server allows. */
  Flooding = 4008,
  /** The client did not read what the server sent it, and its queue passed the limit. */
  SlowReader = 4029,
  /** The client did not offer the `json` subprotocol. */
  BadSubprotocol = 4400,
  /** Another connection signed in with the same account or session and replaced this one. */
  Replaced = 4409,
}

/** Closes after which reconnecting the same way cannot help: the user must change something. */
export function isFatalClose(code: number): boolean {
  return code === CloseCode.BadSubprotocol || code === CloseCode.SignInRefused || code === CloseCode.Replaced;
}

/** Closes after which the client should reconnect at once rather than back off. */
export function isImmediateRetryClose(code: number): boolean {
  return code === CloseCode.ServiceRestart;
}

export const ErrorCode = z.enum([
  'bad-json',
  'bad-message',
  'unknown-type',
  'unknown-target',
  'too-large',
  'rate-limited',
  'not-signed-in',
  /** This server needs a password (accounts mode) or the local key (embedded server). */
  'auth-required',
  /** Wrong name or password, or a wrong local-key proof. */
  'auth-failed',
  /** The name belongs to another account (or, in open mode, to another live session). */
  'name-owned',
  /** The name has invisible or mixed-script look-alike characters. */
  'invalid-name',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** A user name as shown in the user list: trimmed, printable, 1–32 chars. */
export const UserName = z
  .string()
  .trim()
  .min(1, toTranslate('A name cannot be empty'))
  .max(32, toTranslate('A name can be at most 32 characters'))
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, toTranslate('A name cannot contain control characters'));

export { checkNewName, nameKey, normaliseName } from './user-name.ts';

export const CallId = z.string().min(1).max(64);

export const SessionDescription = z.object({
  type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
  sdp: z.string().max(MAX_MESSAGE_BYTES),
});
export type SessionDescription = z.infer<typeof SessionDescription>;

export const IceCandidate = z.object({
  candidate: z.string().max(2048),
  sdpMid: z.string().nullish(),
  sdpMLineIndex: z.number().int().nonnegative().nullish(),
  usernameFragment: z.string().nullish(),
});
export type IceCandidate = z.infer<typeof IceCandidate>;

/** Why a call ended, as carried on `hang-up`. Absent means a plain hang-up. */
export const HangupReason = z.enum(['hangup', 'declined', 'busy', 'no-answer', 'cancelled', 'failed']);
export type HangupReason = z.infer<typeof HangupReason>;

// ---- server → client -------------------------------------------------------

const IdMessage = z.object({
  type: z.literal('id'),
  id: z.union([z.number(), z.string()]),
  /** New: a random challenge, sent when the server holds a local key (the embedded server). */
  challenge: z.string().min(16).max(128).optional(),
});

/** An ICE server as RTCConfiguration.iceServers takes it. */
export const IceServer = z.object({
  urls: z.union([z.string().max(512), z.array(z.string().max(512)).min(1).max(8)]),
  username: z.string().max(512).optional(),
  credential: z.string().max(512).optional(),
});
export type IceServer = z.infer<typeof IceServer>;
const IceServers = z.array(IceServer).max(16);

/** New: sign-in succeeded. Only sent to clients that sent `features` or `auth`. */
const WelcomeMessage = z.object({
  type: z.literal('welcome'),
  /** The name the server gave us (normalised; may differ from the one asked for). */
  name: z.string(),
  /** Present the token next time as `username.session` to get this name back (open mode). */
  session: z.string().max(2048).optional(),
  /** STUN/TURN servers to use, with time-limited TURN credentials. */
  iceServers: IceServers.optional(),
  /** keyProof(key, 'server', challenge, nonce): the server knows the local key too. */
  proof: z.string().max(128).optional(),
});
/** New: fresh TURN credentials before the old ones expire. */
const IceServersMessage = z.object({ type: z.literal('ice-servers'), iceServers: IceServers });
/** New: presence deltas, for clients that announced `presence-delta`. */
const UserJoinedMessage = z.object({ type: z.literal('user-joined'), names: z.array(z.string()).min(1) });
const UserLeftMessage = z.object({ type: z.literal('user-left'), names: z.array(z.string()).min(1) });
const RejectUsernameMessage = z.object({ type: z.literal('rejectusername'), name: z.string() });
const UserListMessage = z.object({ type: z.literal('userlist'), users: z.array(z.string()) });
const ErrorMessage = z.object({
  type: z.literal('error'),
  code: ErrorCode,
  message: z.string(),
  /** The `type` of the message this error answers, when known. */
  inReplyTo: z.string().optional(),
  target: z.string().optional(),
  callId: CallId.optional(),
});

// ---- client → server (and, stamped with `name`, server → client) ----------

/** Abilities a client announces to the server on `username`; unknown ones are ignored. */
export const ClientFeature = z.enum(['presence-delta']);
export type ClientFeature = z.infer<typeof ClientFeature>;

export const SignInAuth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('password'), password: z.string().min(1).max(1024) }),
  z.object({
    kind: z.literal('key'),
    /** The client's own random challenge, which the server's proof must answer. */
    nonce: z.string().min(16).max(128),
    proof: z.string().min(16).max(128),
    /** A program of this user's own (the demo IVR) that the server does not throttle. */
    service: z.boolean().optional(),
  }),
]);
export type SignInAuth = z.infer<typeof SignInAuth>;

const UsernameMessage = z.object({
  type: z.literal('username'),
  name: UserName,
  id: z.union([z.number(), z.string()]).optional(),
  date: z.number().optional(),
  /** New: what this client understands, e.g. `presence-delta`. */
  features: z.array(z.string().max(64)).max(32).optional(),
  auth: SignInAuth.optional(),
  /** New: a session token from an earlier `welcome`. */
  session: z.string().max(2048).optional(),
});
/** The tutorial's chat line; the only message broadcast to everyone. */
const ChatMessage = z.object({
  type: z.literal('message'),
  text: z.string().max(4096),
  name: z.string().optional(),
  id: z.union([z.number(), z.string()]).optional(),
  date: z.number().optional(),
});

const routed = {
  /** The sender, stamped by the server; whatever a client put here is overwritten. */
  name: z.string().optional(),
  /**
   * New: the sender's server session, stamped by the server. A call with a
   * client that sends no call ids is bound to the session that offered it.
   */
  sid: z.string().max(64).optional(),
  target: UserName,
  callId: CallId.optional(),
};

/** Optional abilities a peer announces on its offer or answer; unknown ones are ignored. */
export const Feature = z.enum(['dtmf-signaling']);
export type Feature = z.infer<typeof Feature>;
const features = z.array(z.string().max(64)).max(32).optional();

const VideoOfferMessage = z.object({
  type: z.literal('video-offer'),
  ...routed,
  sdp: SessionDescription,
  /** Whether the caller sends video: lets the callee say "video call" before answering. */
  video: z.boolean().optional(),
  /** New: abilities of the caller, e.g. `dtmf-signaling`. */
  features,
});
const VideoAnswerMessage = z.object({ type: z.literal('video-answer'), ...routed, sdp: SessionDescription, features });
const IceCandidateMessage = z.object({ type: z.literal('new-ice-candidate'), ...routed, candidate: IceCandidate });
/**
 * The tutorial client sends its hang-up with `target: null` (it forgets the
 * peer before sending); the server then delivers it to whoever that session
 * was last negotiating with.
 */
const HangUpMessage = z.object({ type: z.literal('hang-up'), ...routed, target: UserName.nullable(), reason: HangupReason.optional() });
/** New: the callee's phone is ringing. */
const RingingMessage = z.object({ type: z.literal('ringing'), ...routed, callId: CallId });

/** The DTMF events a keypad may send: RFC 4733 event codes 0–15. */
export const DTMF_TONES = '0123456789*#ABCD';
export const DtmfTones = z.string().min(1).max(256).regex(/^[0-9A-D*#]+$/, 'DTMF tones are 0-9, *, # and A-D');
/**
 * New: key presses sent over signaling, for a call where RFC 4733 is not
 * possible. Only sent to a peer that announced `dtmf-signaling`.
 */
const DtmfMessage = z.object({
  type: z.literal('dtmf'),
  ...routed,
  tones: DtmfTones,
  /** How long each tone would have lasted, so a gateway can regenerate it. */
  durationMs: z.number().int().min(40).max(6000).optional(),
});

/** Messages the server routes to the user named in `target`. */
export const RoutedMessage = z.discriminatedUnion('type', [
  VideoOfferMessage,
  VideoAnswerMessage,
  IceCandidateMessage,
  HangUpMessage,
  RingingMessage,
  DtmfMessage,
]);
export type RoutedMessage = z.infer<typeof RoutedMessage>;
export type RoutedType = RoutedMessage['type'];

export const ClientMessage = z.discriminatedUnion('type', [UsernameMessage, ChatMessage, ...RoutedMessage.options]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export const ServerMessage = z.discriminatedUnion('type', [
  IdMessage,
  RejectUsernameMessage,
  UserListMessage,
  WelcomeMessage,
  IceServersMessage,
  UserJoinedMessage,
  UserLeftMessage,
  ErrorMessage,
  ChatMessage,
  ...RoutedMessage.options,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type ErrorMessage = z.infer<typeof ErrorMessage>;
export type WelcomeMessage = z.infer<typeof WelcomeMessage>;
export type UsernameMessage = z.infer<typeof UsernameMessage>;

const KNOWN_CLIENT_TYPES = new Set<string>(ClientMessage.options.map((o) => o.shape.type.value));
const KNOWN_SERVER_TYPES = new Set<string>(ServerMessage.options.map((o) => o.shape.type.value));

export type ParseResult<T> =
  | { ok: true; message: T }
  | { ok: false; code: ErrorCode; error: string; type?: string };

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ');
}

function utf8Length(text: string): number {
  // Runs in the renderer too (through the IPC contract), where Buffer does not exist.
  return typeof Buffer === 'undefined' ? new TextEncoder().encode(text).byteLength : Buffer.byteLength(text);
}

function parseWith<T>(text: string, schema: z.ZodType<T>, known: Set<string>, maxBytes: number): ParseResult<T> {
  // A UTF-16 unit is at most 3 UTF-8 bytes: most frames need no byte count at all.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes)) {
    return { ok: false, code: 'too-large', error: `Message exceeds ${maxBytes} bytes` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, code: 'bad-json', error: 'Message is not valid JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || typeof (raw as { type?: unknown }).type !== 'string') {
    return { ok: false, code: 'bad-message', error: 'Message must be a JSON object with a string "type"' };
  }
  const type = (raw as { type: string }).type.slice(0, 64);
  if (!known.has(type)) {
    return { ok: false, code: 'unknown-type', error: `Unknown message type "${type}"`, type };
  }
  // Unknown fields are dropped here: what is routed on is exactly what was validated.
  const result = schema.safeParse(raw);
  if (!result.success) {
    return { ok: false, code: 'bad-message', error: describe(result.error), type };
  }
  return { ok: true, message: result.data };
}

/** Parse a frame a client sent to the server. */
export function parseClientMessage(text: string): ParseResult<ClientMessage> {
  return parseWith(text, ClientMessage, KNOWN_CLIENT_TYPES, MAX_MESSAGE_BYTES);
}

/** Parse a frame the server sent to a client. */
export function parseServerMessage(text: string): ParseResult<ServerMessage> {
  return parseWith(text, ServerMessage, KNOWN_SERVER_TYPES, MAX_SERVER_MESSAGE_BYTES);
}

/** Validate and serialise a message a client sends. Throws on an invalid message. */
export function stringifyClientMessage(message: ClientMessage): string {
  return JSON.stringify(ClientMessage.parse(message));
}

/** Validate and serialise a message the server sends. Throws on an invalid message. */
export function stringifyServerMessage(message: ServerMessage): string {
  return JSON.stringify(ServerMessage.parse(message));
}

export function isRoutedMessage(message: ClientMessage | ServerMessage): message is RoutedMessage {
  return 'target' in message && typeof message.target === 'string';
}

const ROUTED_TYPES = new Set<string>(RoutedMessage.options.map((option) => option.shape.type.value));

/** Whether a message type is a call signal routed to another user. */
export function isRoutedType(type: string): type is RoutedType {
  return ROUTED_TYPES.has(type);
}
