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
 */
import { z } from 'zod';

export const SUBPROTOCOL = 'json';

/** Frames above this get an `error` reply (`too-large`) and are dropped. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Frames above this are refused by the socket itself (close 1009). */
export const HARD_MAX_FRAME_BYTES = 1024 * 1024;

/** WebSocket close codes used by the server and understood by the client. */
export enum CloseCode {
  Normal = 1000,
  GoingAway = 1001,
  MessageTooBig = 1009,
  InternalError = 1011,
  /** The peer stopped answering pings. */
  HeartbeatTimeout = 4000,
  /** The client kept sending faster than the server allows. */
  Flooding = 4008,
  /** The client did not offer the `json` subprotocol. */
  BadSubprotocol = 4400,
  /** Another connection signed in with the same session and replaced this one. */
  Replaced = 4409,
}

/** Closes after which reconnecting the same way cannot help. */
export function isFatalClose(code: number): boolean {
  return code === CloseCode.BadSubprotocol;
}

export const ErrorCode = z.enum([
  'bad-json',
  'bad-message',
  'unknown-type',
  'unknown-target',
  'too-large',
  'rate-limited',
  'not-signed-in',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** A user name as shown in the user list: trimmed, printable, 1–32 chars. */
export const UserName = z
  .string()
  .trim()
  .min(1, 'A name cannot be empty')
  .max(32, 'A name can be at most 32 characters')
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'A name cannot contain control characters');

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

const IdMessage = z.object({ type: z.literal('id'), id: z.union([z.number(), z.string()]) });
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

const UsernameMessage = z.object({
  type: z.literal('username'),
  name: UserName,
  id: z.union([z.number(), z.string()]).optional(),
  date: z.number().optional(),
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
const HangUpMessage = z.object({ type: z.literal('hang-up'), ...routed, reason: HangupReason.optional() });
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
  ErrorMessage,
  ChatMessage,
  ...RoutedMessage.options,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type ErrorMessage = z.infer<typeof ErrorMessage>;

const KNOWN_CLIENT_TYPES = new Set<string>(ClientMessage.options.map((o) => o.shape.type.value));
const KNOWN_SERVER_TYPES = new Set<string>(ServerMessage.options.map((o) => o.shape.type.value));

export type ParseResult<T> =
  | { ok: true; message: T }
  /** A message of a type this module does not know, but addressed to someone: route it as is. */
  | { ok: true; message: null; passthrough: Record<string, unknown> & { type: string; target: string } }
  | { ok: false; code: ErrorCode; error: string; type?: string };

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ');
}

function parseWith<T>(
  text: string,
  schema: z.ZodType<T>,
  known: Set<string>,
): ParseResult<T> {
  if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES) {
    return { ok: false, code: 'too-large', error: `Message exceeds ${MAX_MESSAGE_BYTES} bytes` };
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
  const record = raw as Record<string, unknown> & { type: string };
  if (!known.has(record.type)) {
    if (typeof record.target === 'string' && record.target.length > 0) {
      return { ok: true, message: null, passthrough: record as typeof record & { target: string } };
    }
    return { ok: false, code: 'unknown-type', error: `Unknown message type "${record.type}"`, type: record.type };
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    return { ok: false, code: 'bad-message', error: describe(result.error), type: record.type };
  }
  return { ok: true, message: result.data };
}

/** Parse a frame a client sent to the server. */
export function parseClientMessage(text: string): ParseResult<ClientMessage> {
  return parseWith(text, ClientMessage, KNOWN_CLIENT_TYPES);
}

/** Parse a frame the server sent to a client. */
export function parseServerMessage(text: string): ParseResult<ServerMessage> {
  return parseWith(text, ServerMessage, KNOWN_SERVER_TYPES);
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
