/**
 * The one IPC contract between the main process and the renderer.
 *
 * Every method the renderer may call and every event main pushes is listed
 * here with its schema. Main validates every payload against it at runtime
 * (main/core/ipc-router.ts); the preload builds `window.softphone` from the
 * schema-free list of the same names (ipc-channels.ts, which this contract
 * `satisfies` exactly), and the renderer imports its types only. A channel
 * cannot exist in one place and not in another.
 */
import { z } from 'zod';
import type { EventName, MethodName } from './ipc-channels.ts';
import { IceServer, UserName } from './signaling-protocol.ts';
import { AccountId, CallCommand, CallEvent, LocalCallId } from './call-messages.ts';
import { HistoryPage, HistoryPageRequest, HistorySummary } from './history-schema.ts';
import { MAX_SIP_ACCOUNTS, SipAccountDetails, SipAccountSettings, SipAccountState } from './sip-account-schema.ts';
import {
  AccountSettings,
  DeviceSettings,
  DeviceSettingsPatch,
  DtmfSettings,
  DtmfSettingsPatch,
  DesktopSettings,
  DesktopSettingsPatch,
  MAX_USER_ICE_SERVERS,
  NetworkDetails,
  NetworkSettings,
  ServerUrl,
} from './settings-schema.ts';
import { ConnectionProblem } from './connection-problem.ts';
import { toTranslate } from './i18n/schema-words.ts';
import { Contact, ContactDetails, ContactId, ContactList, ContactPatch, ContactRestore, Presence } from './contact-schema.ts';

export const ConnectionStatus = z.enum(['connecting', 'connected', 'reconnecting', 'failed']);
export type ConnectionStatus = z.infer<typeof ConnectionStatus>;

/** What the renderer passes to `new RTCPeerConnection()` for the next call. */
export const RtcConfiguration = z.object({
  /** The server's STUN/TURN servers (with fresh credentials) followed by the user's own. */
  iceServers: z.array(IceServer).max(16 + MAX_USER_ICE_SERVERS),
  /** 'relay' when Settings → Network → relay only is on. */
  iceTransportPolicy: z.enum(['all', 'relay']),
});
export type RtcConfiguration = z.infer<typeof RtcConfiguration>;

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
  /** Why the last connection failed or closed, in English (for logs and tests). */
  lastError: z.string().nullable(),
  /** Why the last connection failed or closed, as a code the renderer puts in words. */
  problem: ConnectionProblem.nullable(),
  /** The effective RTCConfiguration for the next call. */
  rtc: RtcConfiguration,
});
export type ConnectionState = z.infer<typeof ConnectionState>;

export { Contact, ContactDetails, ContactPatch, Presence } from './contact-schema.ts';
export type { Directory, DirectoryAddress, DirectoryContact, OnlineUser } from './directory.ts';

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
  account: AccountSettings.prefault({}),
  network: NetworkSettings.prefault({}),
  sipAccounts: z.array(SipAccountSettings).max(MAX_SIP_ACCOUNTS).default([]),
  desktop: DesktopSettings.prefault({}),
});
export type Settings = z.infer<typeof Settings>;

export const MAX_PASSWORD_LENGTH = 1024;

/** Which server to use and as whom: what saveAccount and testConnection take. */
export const AccountDetails = z
  .object({
    /** null = this machine's embedded server. */
    serverUrl: ServerUrl.nullable(),
    name: UserName,
    /** undefined = keep the saved password, null = forget it, string = save it (in the secret store). */
    password: z
      .string()
      .min(1, toTranslate('A password cannot be empty'))
      .max(MAX_PASSWORD_LENGTH, toTranslate('A password can be at most {{max}} characters', { max: MAX_PASSWORD_LENGTH }))
      .nullable()
      .optional(),
  })
  .strict()
  .superRefine((details, context) => {
    if (details.serverUrl === null && typeof details.password === 'string') {
      context.addIssue({ code: 'custom', path: ['password'], message: toTranslate("This computer's own server needs no password") });
    }
  });
export type AccountDetails = z.infer<typeof AccountDetails>;

/** The answer of testConnection, in words. */
export const ConnectionTestResult = z.object({
  ok: z.boolean(),
  message: z.string(),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>;

export { NetworkDetails };

/** What the renderer may change in one call; each group is merged field by field. */
export const SettingsPatch = z
  .object({
    dtmf: DtmfSettingsPatch,
    devices: DeviceSettingsPatch,
    desktop: DesktopSettingsPatch,
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** A contacts file the user picked, as text (the renderer reads it); 20 MB is far beyond any address book. */
export const ContactImportRequest = z.object({ format: z.enum(['vcard', 'csv']), text: z.string().max(20 * 1024 * 1024, 'The file is too big to be an address book (over 20 MB)') }).strict();
export const ContactImportResult = z.object({
  added: z.number().int().nonnegative(),
  merged: z.number().int().nonnegative(),
  /** At most the first 1,000, with the reason in words. */
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })).max(1000),
  skippedCount: z.number().int().nonnegative(),
});
export type ContactImportResult = z.infer<typeof ContactImportResult>;
export const ContactExportRequest = z.object({ format: z.enum(['vcard3', 'vcard4', 'csv']) }).strict();

/** What a tel:, callto: or sip: link asks to call. */
export const DialRequest = z.object({ dialString: z.string().min(1).max(300), kind: z.enum(['number', 'sip', 'name']) });
export type DialRequest = z.infer<typeof DialRequest>;

export const Snapshot = z.object({
  settings: Settings,
  connection: ConnectionState,
  /** Every saved contact, sorted by name; the renderer merges presence in (common/directory.ts). */
  contacts: ContactList,
  presence: Presence,
  notices: z.array(Notice),
  /** How each SIP account's registration stands. */
  sipAccounts: z.array(SipAccountState),
  history: HistorySummary,
  /** A link opened before the page was there to ask about it. */
  dialRequest: DialRequest.nullable(),
});
export type Snapshot = z.infer<typeof Snapshot>;

const none = z.null();

interface MethodSpec {
  args: z.ZodTuple;
  result: z.ZodType;
}

export const ipcContract = {
  methods: {
    /** Everything the renderer needs to draw its first frame. */
    getSnapshot: { args: z.tuple([]), result: Snapshot },
    /** Save the display name and sign in with it. */
    signIn: { args: z.tuple([UserName]), result: none },
    /** Read contacts from a vCard (2.1, 3.0, 4.0) or CSV file's text; says what it took, merged and skipped, and why. */
    importContacts: { args: z.tuple([ContactImportRequest]), result: ContactImportResult },
    /** Every contact as vCard 3.0, 4.0 or CSV, with a file name to save it under. */
    exportContacts: { args: z.tuple([ContactExportRequest]), result: z.object({ text: z.string(), fileName: z.string() }) },
    /** Save a new contact; main gives it its id. Returns the contact as saved. */
    addContact: { args: z.tuple([ContactDetails]), result: Contact },
    /** Change what the patch names (rename included); returns the contact as saved. */
    updateContact: { args: z.tuple([ContactId, ContactPatch]), result: Contact },
    /** Forget a contact; returns it, so the renderer can offer to undo. */
    removeContact: { args: z.tuple([ContactId]), result: Contact },
    /** Undo a removal: put the contact back with the same id. Returns it as saved. */
    restoreContact: { args: z.tuple([ContactRestore]), result: Contact },
    /** Change preferences (keypad, devices); returns the settings as saved. */
    updateSettings: { args: z.tuple([SettingsPatch]), result: Settings },
    /**
     * Save the server and name (and the password: undefined keeps it, null forgets it),
     * then reconnect to that server under that name. Returns the settings as saved.
     */
    saveAccount: { args: z.tuple([AccountDetails]), result: Settings },
    /** Try these details on a throwaway connection (at most ~10 s); the live connection is untouched. */
    testConnection: { args: z.tuple([AccountDetails]), result: ConnectionTestResult },
    /** Save the user's own STUN/TURN servers (credentials go to the secret store) and relay-only. */
    saveNetwork: { args: z.tuple([NetworkDetails]), result: Settings },
    /** Add a SIP account (no id) or change one; the password goes to the secret store. Returns the settings as saved. */
    saveSipAccount: { args: z.tuple([SipAccountDetails]), result: Settings },
    removeSipAccount: { args: z.tuple([AccountId]), result: Settings },
    /** Older calls than the summary holds, newest first. */
    listHistory: { args: z.tuple([HistoryPageRequest]), result: HistoryPage },
    deleteHistoryEntry: { args: z.tuple([z.string().max(64)]), result: none },
    clearHistory: { args: z.tuple([]), result: none },
    /** The user looked at the history: missed calls until now stop counting as new. */
    markHistorySeen: { args: z.tuple([]), result: none },
    /** The page has shown the link's call for confirmation: a reload does not ask again. */
    dialRequestSeen: { args: z.tuple([]), result: none },
    /** Place a call, or say something in one (answer, candidate, keys, end): the call vocabulary, never a wire format. */
    call: { args: z.tuple([CallCommand]), result: none },
    dismissNotice: { args: z.tuple([z.string()]), result: none },
  } satisfies Record<MethodName, MethodSpec>,
  events: {
    connection: ConnectionState,
    /** Every saved contact, sorted by name, whenever one changes. */
    contacts: ContactList,
    /** Who is online, whenever someone comes or goes: the contacts are not sent again for it. */
    presence: Presence,
    settings: Settings,
    /** Registration states of the SIP accounts, whenever one changes. */
    sipAccounts: z.array(SipAccountState),
    /** The newest calls and the count of missed calls not seen yet, whenever the history changes. */
    history: HistorySummary,
    /** A tel:, callto: or sip: link was opened: put it in the dial box and ask before calling. */
    dialRequest: DialRequest,
    /** The user answered or declined a ringing call from the system notification: the renderer, which holds the media, does it. */
    callAction: z.object({ callId: LocalCallId, action: z.enum(['accept', 'decline']) }),
    /** Something happened in a call: it comes in, rings, is answered, sends keys, ends. */
    call: CallEvent,
    notice: Notice,
  } satisfies Record<EventName, z.ZodType>,
} as const;

export type IpcContract = typeof ipcContract;
export { eventChannel, eventNames, isEventName, isMethodName, methodChannel, methodNames } from './ipc-channels.ts';
export type { EventName, MethodName } from './ipc-channels.ts';
export type MethodArgs<M extends MethodName> = z.input<IpcContract['methods'][M]['args']>;
export type MethodResult<M extends MethodName> = z.output<IpcContract['methods'][M]['result']>;
export type EventPayload<E extends EventName> = z.output<IpcContract['events'][E]>;

/** What `window.softphone` offers the renderer. */
export type SoftphoneApi = {
  [M in MethodName]: (...args: MethodArgs<M>) => Promise<MethodResult<M>>;
} & {
  /** Listen to an event from main; returns a function that stops listening. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
