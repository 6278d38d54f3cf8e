/**
 * The preference groups inside `Settings` (see ipc-contract.ts): the keypad,
 * the devices, the account (which server) and the network (STUN/TURN). Every field has a default, so a settings file written by an
 * older version loads unchanged and gains the new fields.
 */
import { z } from 'zod';
import { toTranslate } from './i18n/schema-words.ts';

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

/** How the app behaves on the desktop. */
export const DoNotDisturb = z.enum([
  'off',
  /** Incoming calls are refused as busy and listed as missed. */
  'busy',
  /** Incoming calls ring without sound or notification; the window still shows them. */
  'silent',
]);
export type DoNotDisturb = z.infer<typeof DoNotDisturb>;

export const DesktopSettings = z.object({
  doNotDisturb: DoNotDisturb.default('off'),
  /** Closing the window keeps the app running in the tray, reachable for calls. */
  closeToTray: z.boolean().default(true),
  startAtLogin: z.boolean().default(false),
  /** Start with the window hidden (in the tray). */
  startMinimized: z.boolean().default(false),
  /** The app's language; 'system' follows the system's (German for de-*, otherwise English). */
  language: z.enum(['system', 'en', 'de']).default('system'),
});
export type DesktopSettings = z.infer<typeof DesktopSettings>;

export const DtmfSettingsPatch = patchSchema(DtmfSettings);
export const DesktopSettingsPatch = patchSchema(DesktopSettings);
export const DeviceSettingsPatch = patchSchema(DeviceSettings);

// ---- account and network ----------------------------------------------------

/** Longest signaling server address accepted. */
export const MAX_SERVER_URL_LENGTH = 2048;

/**
 * A signaling server address: ws:// or wss://, no user name or password in it
 * (those would be saved in plain text), no #fragment.
 */
export const ServerUrl = z
  .string()
  .trim()
  .min(1, toTranslate('Enter the server address'))
  .max(MAX_SERVER_URL_LENGTH, toTranslate('A server address can be at most {{max}} characters', { max: MAX_SERVER_URL_LENGTH }))
  .superRefine((value, context) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      context.addIssue({ code: 'custom', message: toTranslate('A server address looks like wss://example.com or ws://127.0.0.1:8765') });
      return;
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      context.addIssue({ code: 'custom', message: toTranslate('A server address starts with ws:// or wss://') });
    } else if (!url.hostname) {
      context.addIssue({ code: 'custom', message: toTranslate('A server address needs a host name') });
    } else if (url.username || url.password) {
      context.addIssue({ code: 'custom', message: toTranslate('Put the password in the password field, not in the address') });
    } else if (url.hash) {
      context.addIssue({ code: 'custom', message: toTranslate('A server address cannot contain "#"') });
    }
  });

export const AccountSettings = z.object({
  /** The signaling server; null = this machine's embedded server. */
  serverUrl: ServerUrl.nullable().default(null),
  /** A password for serverUrl is kept in the secret store (never in settings). */
  hasPassword: z.boolean().default(false),
});
export type AccountSettings = z.infer<typeof AccountSettings>;

/** At most this many STUN/TURN servers of the user's own. */
export const MAX_USER_ICE_SERVERS = 8;
const MAX_ICE_FIELD_LENGTH = 512;

/** stun:host[:port], turn:host[:port][?transport=udp|tcp], turns:host[:port][?transport=tcp]. */
const ICE_URL = /^(stun|turns?):(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(:\d{1,5})?(\?transport=(udp|tcp))?$/;

export const IceServerUrl = z
  .string()
  .trim()
  .max(MAX_ICE_FIELD_LENGTH, toTranslate('An ICE server address can be at most {{max}} characters', { max: MAX_ICE_FIELD_LENGTH }))
  .superRefine((value, context) => {
    const match = ICE_URL.exec(value);
    if (!match) {
      context.addIssue({ code: 'custom', message: toTranslate('An ICE server address looks like stun:host:3478, turn:host:3478 or turns:host:5349') });
      return;
    }
    const port = match[3] ? Number(match[3].slice(1)) : null;
    if (port !== null && (port < 1 || port > 65535)) context.addIssue({ code: 'custom', message: toTranslate('The port must be 1–65535') });
    if (match[1] === 'stun' && match[4]) context.addIssue({ code: 'custom', message: toTranslate('A stun: address takes no ?transport') });
  });

export const isTurnUrl = (url: string): boolean => /^turns?:/i.test(url);

const IceUsername = z.string().min(1).max(MAX_ICE_FIELD_LENGTH);

export const UserIceServer = z.object({
  urls: IceServerUrl,
  username: IceUsername.optional(),
  /** Its credential is kept in the secret store (never in settings). */
  hasCredential: z.boolean(),
});
export type UserIceServer = z.infer<typeof UserIceServer>;

export const NetworkSettings = z.object({
  iceServers: z.array(UserIceServer).max(MAX_USER_ICE_SERVERS).default([]),
  /** Send media through a TURN relay only (hides this machine's addresses from the other side). */
  relayOnly: z.boolean().default(false),
});
export type NetworkSettings = z.infer<typeof NetworkSettings>;

/** A STUN/TURN server as the renderer sends it to saveNetwork. */
export const IceServerDetails = z
  .object({
    urls: IceServerUrl,
    username: IceUsername.optional(),
    /** undefined = keep the stored one, null = forget it, string = store it. */
    credential: z.string().min(1, toTranslate('A credential cannot be empty')).max(MAX_ICE_FIELD_LENGTH).nullable().optional(),
  })
  .strict()
  .superRefine((server, context) => {
    if (isTurnUrl(server.urls) && server.username === undefined) {
      context.addIssue({ code: 'custom', path: ['username'], message: toTranslate('A TURN server needs a user name') });
    }
  });
export type IceServerDetails = z.infer<typeof IceServerDetails>;

export const NetworkDetails = z
  .object({
    iceServers: z.array(IceServerDetails).max(MAX_USER_ICE_SERVERS, toTranslate('At most {{max}} ICE servers', { max: MAX_USER_ICE_SERVERS })),
    relayOnly: z.boolean(),
  })
  .strict()
  .superRefine((details, context) => {
    const seen = new Set<string>();
    details.iceServers.forEach((server, index) => {
      const key = `${server.urls.toLowerCase()}\n${server.username ?? ''}`;
      if (seen.has(key)) context.addIssue({ code: 'custom', path: ['iceServers', index], message: toTranslate('This ICE server is listed twice') });
      seen.add(key);
    });
  });
export type NetworkDetails = z.infer<typeof NetworkDetails>;
