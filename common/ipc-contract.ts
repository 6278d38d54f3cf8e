/**
 * The one IPC contract between the main process and the renderer.
 *
 * Every method the renderer may call and every event main pushes is listed
 * here with its schema. Main validates every payload against it at runtime
 * (main/core/ipc-router.ts), the preload builds `window.softphone` from it
 * (common/ipc-bridge.ts), and the renderer imports its types only. A channel
 * cannot exist in one place and not in another.
 */
import { z } from 'zod';
import { CallId, ErrorCode, IceServer, RoutedMessage, UserName } from './signaling-protocol.ts';
import { AccountSettings, DeviceSettings, DeviceSettingsPatch, DtmfSettings, DtmfSettingsPatch, NetworkSettings, patchSchema } from './settings-schema.ts';
import { DtmfSequence, PostDial } from './dial-string.ts';

export const ConnectionStatus = z.enum(['connecting', 'connected', 'reconnecting', 'failed']);
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

export const ConnectionState = z.object({
  status: ConnectionStatus,
  /** The signaling server's address, e.g. ws://127.0.0.1:8765. */
  serverUrl: z.string(),
  /** True when this app instance hosts the signaling server itself. */
  hostingServer: z.boolean(),
  /** The name the server knows us by, once signed in. */
  signedInAs: z.string().nullable(),
  /** Reconnect attempt number, 0 while connected. */
  attempt: z.number().int().nonnegative(),
  /** Milliseconds until the next reconnect attempt, when one is scheduled. */
  retryInMs: z.number().int().nonnegative().nullable(),
  /** Why the last connection failed or closed, in words a user understands. */
  lastError: z.string().nullable(),
  // contract additions (core engineer's version wins at merge; optional here only so today's core still validates)
  /** The effective RTCConfiguration for the next call: server-provided TURN credentials plus the user's own servers. */
  rtc: z
    .object({
      iceServers: z.array(IceServer),
      iceTransportPolicy: z.enum(['all', 'relay']),
    })
    .optional(),
});
export type ConnectionState = z.infer<typeof ConnectionState>;

export const DirectoryEntry = z.object({
  name: z.string(),
  /** Kept in the saved contact list. */
  saved: z.boolean(),
  online: z.boolean(),
  /** Saved contacts only: key presses sent once a call is answered, e.g. ",,1,,2#". */
  postDial: PostDial,
  /** Saved contacts only: named key sequences one click sends, e.g. a conference PIN. */
  sequences: z.array(DtmfSequence),
});
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

/** Saved contacts merged with the server's user list, self excluded. */
export const Directory = z.object({ entries: z.array(DirectoryEntry) });
export type Directory = z.infer<typeof Directory>;

export const Notice = z.object({
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  text: z.string(),
});
export type Notice = z.infer<typeof Notice>;

export const Settings = z.object({
  displayName: UserName.nullable(),
  dtmf: DtmfSettings.prefault({}),
  devices: DeviceSettings.prefault({}),
  // contract additions (core engineer's version wins at merge; optional here only so today's core still validates)
  account: AccountSettings.optional(),
  network: NetworkSettings.optional(),
});
export type Settings = z.infer<typeof Settings>;

/** What the renderer may change in one call; each group is merged field by field. */
export const SettingsPatch = z
  .object({
    dtmf: DtmfSettingsPatch,
    devices: DeviceSettingsPatch,
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** The editable details of a saved contact; what is left out stays as it is. */
export const ContactDetails = patchSchema(
  z.object({
    postDial: PostDial,
    sequences: z.array(DtmfSequence).max(20),
  }),
);
export type ContactDetails = z.infer<typeof ContactDetails>;

export const Snapshot = z.object({
  settings: Settings,
  connection: ConnectionState,
  directory: Directory,
  notices: z.array(Notice),
});
export type Snapshot = z.infer<typeof Snapshot>;

/** A call signal the renderer sends; main puts its own name on it. */
export const OutboundSignal = RoutedMessage;
export type OutboundSignal = z.infer<typeof OutboundSignal>;

/** A call signal from another user; `name` is the sender, stamped by the server. */
export const InboundSignal = RoutedMessage.and(z.object({ name: z.string() }));
export type InboundSignal = z.infer<typeof InboundSignal>;

/** The server refused a call signal, e.g. because the callee is not online. */
export const SignalError = z.object({
  code: ErrorCode,
  message: z.string(),
  target: z.string().optional(),
  callId: CallId.optional(),
  inReplyTo: z.string().optional(),
});
export type SignalError = z.infer<typeof SignalError>;

const none = z.null();

// contract additions (core engineer's version wins at merge)
// Declared beside the contract, not in it, until the core implements them: every
// method in `ipcContract.methods` must have a main-side handler. The renderer
// treats them as possibly missing (see renderer/state/account-api.ts).
export const contractAdditionMethods = {
  /** Save the server and name; password undefined = keep the saved one, null = forget it, a string = save it in the OS keychain. */
  saveAccount: {
    args: z.tuple([z.object({ serverUrl: z.string().nullable(), name: UserName, password: z.string().nullable().optional() })]),
    result: Settings,
  },
  /** Try to sign in with these details without changing anything; the message says what happened, in words. */
  testConnection: {
    args: z.tuple([z.object({ serverUrl: z.string().nullable(), name: UserName, password: z.string().optional() })]),
    result: z.object({ ok: z.boolean(), message: z.string() }),
  },
  /** Save the user's own STUN/TURN servers (credential undefined = keep, null = forget) and the relay-only choice. */
  saveNetwork: {
    args: z.tuple([
      z.object({
        iceServers: z.array(z.object({ urls: z.string(), username: z.string().optional(), credential: z.string().nullable().optional() })),
        relayOnly: z.boolean(),
      }),
    ]),
    result: Settings,
  },
} as const;
type AdditionMethods = typeof contractAdditionMethods;

export const ipcContract = {
  methods: {
    /** Everything the renderer needs to draw its first frame. */
    getSnapshot: { args: z.tuple([]), result: Snapshot },
    /** Save the display name and sign in with it. */
    signIn: { args: z.tuple([UserName]), result: none },
    addContact: { args: z.tuple([UserName]), result: none },
    removeContact: { args: z.tuple([UserName]), result: none },
    /** Change a saved contact's post-dial digits or key sequences. */
    updateContact: { args: z.tuple([UserName, ContactDetails]), result: none },
    /** Change preferences (keypad, devices); returns the settings as saved. */
    updateSettings: { args: z.tuple([SettingsPatch]), result: Settings },
    sendSignal: { args: z.tuple([OutboundSignal]), result: none },
    dismissNotice: { args: z.tuple([z.string()]), result: none },
  },
  events: {
    connection: ConnectionState,
    directory: Directory,
    settings: Settings,
    signal: InboundSignal,
    signalError: SignalError,
    notice: Notice,
  },
} as const;

export type IpcContract = typeof ipcContract;
export type MethodName = keyof IpcContract['methods'];
export type EventName = keyof IpcContract['events'];
export type MethodArgs<M extends MethodName> = z.input<IpcContract['methods'][M]['args']>;
export type MethodResult<M extends MethodName> = z.output<IpcContract['methods'][M]['result']>;
export type EventPayload<E extends EventName> = z.output<IpcContract['events'][E]>;

export const methodNames = Object.keys(ipcContract.methods) as MethodName[];
export const eventNames = Object.keys(ipcContract.events) as EventName[];

/** The Electron IPC channel that carries a method call. */
export const methodChannel = (method: MethodName): string => `softphone:${method}`;
/** The Electron IPC channel that carries an event from main. */
export const eventChannel = (event: EventName): string => `softphone:event:${event}`;

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(ipcContract.methods, value);
}
export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(ipcContract.events, value);
}

/** What `window.softphone` offers the renderer. */
export type SoftphoneApi = {
  [M in MethodName]: (...args: MethodArgs<M>) => Promise<MethodResult<M>>;
} & {
  // contract additions (core engineer's version wins at merge): optional until the core has them.
  [M in keyof AdditionMethods]?: (...args: z.input<AdditionMethods[M]['args']>) => Promise<z.output<AdditionMethods[M]['result']>>;
} & {
  /** Listen to an event from main; returns a function that stops listening. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
