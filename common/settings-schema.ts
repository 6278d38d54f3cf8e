/**
 * The preference groups inside `Settings` (see ipc-contract.ts): the keypad
 * and the devices. Every field has a default, so a settings file written by an
 * older version loads unchanged and gains the new fields.
 */
import { z } from 'zod';

/** How key presses reach the other side of a call. */
export const DtmfTransport = z.enum([
  /** RFC 4733 when the call allows it, otherwise over signaling when the peer supports it, otherwise in-band. */
  'auto',
  /** RFC 4733 telephone-events through RTCDTMFSender only. */
  'rfc4733',
  /** A `dtmf` message through the signaling server. */
  'signaling',
  /** Tones mixed into the outgoing audio. */
  'inband',
]);
export type DtmfTransport = z.infer<typeof DtmfTransport>;

/** Limits Chromium's RTCDTMFSender accepts (duration 40–6000 ms, gap ≥ 30 ms). */
export const DTMF_LIMITS = {
  toneMs: { min: 40, max: 6000 },
  gapMs: { min: 30, max: 6000 },
  pauseMs: { min: 100, max: 10_000 },
} as const;

export const DtmfSettings = z.object({
  toneMs: z.number().int().min(DTMF_LIMITS.toneMs.min).max(DTMF_LIMITS.toneMs.max).default(100),
  gapMs: z.number().int().min(DTMF_LIMITS.gapMs.min).max(DTMF_LIMITS.gapMs.max).default(70),
  /** How long a `,` in a dial string waits. */
  pauseMs: z.number().int().min(DTMF_LIMITS.pauseMs.min).max(DTMF_LIMITS.pauseMs.max).default(2000),
  /** Play each key's tone quietly to the user. */
  feedback: z.boolean().default(true),
  /** Show the A–D keys (military and some PBX menus use them). */
  extendedKeys: z.boolean().default(false),
  transport: DtmfTransport.default('auto'),
});
export type DtmfSettings = z.infer<typeof DtmfSettings>;

/**
 * A remembered device. Ids change between launches on some systems, so the
 * label is kept too and used to find the device again.
 */
export const DeviceChoice = z.object({
  deviceId: z.string().max(512),
  label: z.string().max(512),
});
export type DeviceChoice = z.infer<typeof DeviceChoice>;

export const DeviceSettings = z.object({
  /** null means the system default. */
  microphone: DeviceChoice.nullable().default(null),
  camera: DeviceChoice.nullable().default(null),
  /** Where call audio plays. */
  speaker: DeviceChoice.nullable().default(null),
  /** Where the ringtone and keypad feedback play. */
  ringer: DeviceChoice.nullable().default(null),
  echoCancellation: z.boolean().default(true),
  noiseSuppression: z.boolean().default(true),
  autoGainControl: z.boolean().default(true),
});
export type DeviceSettings = z.infer<typeof DeviceSettings>;

/**
 * A schema for changing some fields of `schema`: each field optional and
 * WITHOUT its default. (`.partial()` keeps the defaults, so a patch naming
 * one field would come out with every other field reset.)
 */
export function patchSchema<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>): z.ZodType<Partial<z.output<z.ZodObject<Shape>>>> {
  const fields = Object.entries(schema.shape).map(([key, field]) => [key, ((field instanceof z.ZodDefault ? field.unwrap() : field) as z.ZodType).optional()]);
  return z.object(Object.fromEntries(fields)).strict() as unknown as z.ZodType<Partial<z.output<z.ZodObject<Shape>>>>;
}

export const DtmfSettingsPatch = patchSchema(DtmfSettings);
export const DeviceSettingsPatch = patchSchema(DeviceSettings);

// contract additions (core engineer's version wins at merge)
/** The signaling account: which server, and whether a password is kept in the OS keychain. */
export const AccountSettings = z.object({
  /** ws:// or wss://; null = this machine's embedded server. */
  serverUrl: z.string().nullable(),
  hasPassword: z.boolean(),
});
export type AccountSettings = z.infer<typeof AccountSettings>;

/** One of the user's own STUN/TURN servers, as shown: a TURN credential is never sent back, only whether one is saved. */
export const IceServerSetting = z.object({
  /** stun:, turn: or turns: */
  urls: z.string(),
  username: z.string().optional(),
  hasCredential: z.boolean(),
});
export type IceServerSetting = z.infer<typeof IceServerSetting>;

export const NetworkSettings = z.object({
  iceServers: z.array(IceServerSetting).max(8),
  relayOnly: z.boolean(),
});
export type NetworkSettings = z.infer<typeof NetworkSettings>;
