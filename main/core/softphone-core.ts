/**
 * Everything the main process does for the renderer, without Electron: the
 * signaling connection, saved contacts and settings, presence, notices, the
 * account (which server, as whom, with which password) and the network
 * settings (STUN/TURN). The Electron entry (and the browser test host) wire
 * its handlers to IPC and its events to the window.
 *
 * Secrets (passwords, session tokens, TURN credentials) go to the SecretStore
 * the host gives; settings only say whether one is stored.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  type AccountDetails,
  type DialRequest,
  type ConnectionState,
  type ConnectionTestResult,
  type EventName,
  type EventPayload,
  type RtcConfiguration,
  type Snapshot,
} from '../../common/ipc-contract.ts';
import { loadOrCreateLocalKey } from '../../common/local-key.ts';
import type { Logger } from '../../common/logger.ts';
import { websocketUrl } from '../../common/websocket-url.ts';
import { isTurnUrl, type NetworkDetails, type NetworkSettings, type UserIceServer } from '../../common/settings-schema.ts';
import { isRoutedType, nameKey, type IceServer } from '../../common/signaling-protocol.ts';
import {
  isLoopbackHost,
  SignalingClient,
  type SessionTokenStore,
  type SignalingAuth,
  type SignalingClientOptions,
  type SignalingState,
} from '../../common/signaling-client.ts';
import { AppCalls } from './calls/app-calls.ts';
import { CallSwitchboard } from './calls/call-switchboard.ts';
import type { InboundSignal } from './calls/signal-matching.ts';
import { CallAttention, type Attention } from './alerts/call-attention.ts';
import { english, resolveLanguage, translatorFor, type Translate } from '../../common/i18n/index.ts';
import { connectionProblemWords, type ConnectionProblem } from '../../common/connection-problem.ts';
import { translateMarked } from '../../common/i18n/schema-words.ts';
import { parseCallLink } from './links/call-link.ts';
import { ContactsError, createContactsStore, type ContactsLoadReport } from './contacts-store.ts';
import { parseCsv, toCsv } from './contacts-io/csv.ts';
import { parseVcards, toVcards } from './contacts-io/vcard.ts';
import { CallRecorder } from './history/call-recorder.ts';
import { HistoryLog } from './history/history-log.ts';
import type { SipAccountOptions } from './sip/sip-account.ts';
import { SipAccounts } from './sip/sip-accounts.ts';
import { sortContactsByName } from '../../common/directory.ts';
import type { Contact } from '../../common/contact-schema.ts';
import { EMBEDDED_HOST, EmbeddedServerHost, type IvrLauncher } from './embedded-server-host.ts';
import type { IpcHandlers } from './ipc-router.ts';
import type { Recovery } from './json-file-store.ts';
import { NoticeBoard } from './notice-board.ts';
import { SecretStoreUnavailableError, type SecretStore } from './secret-store.ts';
import { createSettingsStore } from './settings-store.ts';

export interface SoftphoneCoreOptions {
  userDataDir: string;
  /**
   * A server given on the command line (--server): used instead of the saved
   * one for this run, until the user saves an account. null: the saved server,
   * or the embedded one.
   */
  serverUrl: string | null;
  /** Port of the embedded server on 127.0.0.1. */
  embeddedPort: number;
  log: Logger;
  /** Where passwords, session tokens and TURN credentials are kept. */
  secrets: SecretStore;
  /**
   * The embedded server's per-USER key file, shared by every profile and the
   * demo IVR (Electron: <appData>/Softphone/embedded-server.key).
   */
  localKeyFile: string;
  /** Extra trust for wss:// servers (tests: a self-signed certificate). */
  tls?: { ca?: string | Buffer };
  /** How the embedded server's demo IVR process starts (Electron: a utility process; default: child_process.fork). */
  launchIvr?: IvrLauncher;
  /** Shorter timings for tests; defaults suit real use. */
  signalingTimings?: Pick<SignalingClientOptions, 'heartbeatIntervalMs' | 'heartbeatTimeoutMs' | 'backoff' | 'slowRetryMs'>;
  /** Shorter SIP registration and retry timings for tests. */
  sipTimings?: Pick<SipAccountOptions, 'registerExpiresSeconds' | 'reconnectBackoff'>;
  /** How long testConnection may take (default 10 s). */
  connectionTestTimeoutMs?: number;
  /** The system's language (Electron: app.getLocale()), for the 'system' language setting; default English. */
  systemLocale?: () => string;
}

export type CoreEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface SoftphoneCore {
  readonly handlers: IpcHandlers;
  onEvent(listener: CoreEventListener): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A tel:, callto: or sip: link the OS handed the app: the page is asked to confirm the call; a bad link is a notice in words. */
  openLink(url: string): void;
  /** A ringing call's notification, taskbar flash and window title, whenever they change. */
  onAttention(listener: (attention: Attention) => void): () => void;
  /** The words in the app's language (the setting, or the system's). */
  translate(): Translate;
  /** The window came to the front (visible, not minimised, focused) or left it. */
  windowInFront(inFront: boolean): void;
  /** Accept or Decline pressed on the notification. */
  notificationAction(callId: string, action: 'accept' | 'decline'): void;
  /** The computer woke up or its network changed: accounts that are down try again now instead of after their backoff. */
  networkMayHaveChanged(): void;
}

const DEFAULT_CONNECTION_TEST_TIMEOUT_MS = 10_000;
const MAX_RTC_ICE_SERVERS = 24;

/** One form per server address, so "wss://Example.com" and "wss://example.com/" share their secrets. */
function serverKey(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

/** The names secrets are kept under in the SecretStore. */
export const secretNames = {
  password: (serverUrl: string) => `account-password ${serverKey(serverUrl)}`,
  session: (serverUrl: string) => `session ${serverKey(serverUrl)}`,
  iceCredential: (urls: string, username: string | undefined) => `ice-credential ${urls.toLowerCase()} ${username ?? ''}`,
};

function describeRecovery(what: 'contacts' | 'settings', recovery: Recovery, t: Translate): string {
  const values = { reason: recovery.reason, file: path.basename(recovery.movedTo) };
  return what === 'contacts'
    ? t('Your contacts file could not be read ({{reason}}). It was kept as {{file}} and nothing was deleted; starting with a fresh one.', values)
    : t('Your settings file could not be read ({{reason}}). It was kept as {{file}} and nothing was deleted; starting with a fresh one.', values);
}

/** What loading the contacts found that the user should hear about, in the language of `t`. */
export function contactsLoadNotices(report: ContactsLoadReport, t: Translate = english): Array<{ level: 'info' | 'warning' | 'error'; text: string }> {
  const said: Array<{ level: 'info' | 'warning' | 'error'; text: string }> = [];
  if (report.recovered) said.push({ level: 'warning', text: describeRecovery('contacts', report.recovered, t) });
  if (report.unavailable) said.push({ level: 'error', text: t('Your contacts are not available: {{reason}}', { reason: report.unavailable }) });
  if (report.rejected) {
    const count = report.rejected.entries.length;
    const which = report.rejected.entries.map((e) => t('entry {{n}}: {{reason}}', { n: e.index + 1, reason: e.reason })).join('; ');
    said.push({
      level: 'warning',
      text: t('{{count}} contacts in your contacts file could not be read ({{which}}). They were kept in {{file}}; the others loaded.', { count, which, file: path.basename(report.rejected.file) }),
    });
  }
  if (report.notWritten) said.push({ level: 'warning', text: t('Your contacts loaded, but the contacts file could not be updated ({{reason}}). Changes you make may not be saved.', { reason: report.notWritten }) });
  return said;
}

const initialState = (): SignalingState => ({ status: 'connecting', attempt: 0, retryInMs: null, lastError: null, problem: null, signedInAs: null });

export function createSoftphoneCore(options: SoftphoneCoreOptions): SoftphoneCore {
  const { log, secrets } = options;
  const listeners = new Set<CoreEventListener>();
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const listener of listeners) listener(event, payload);
  };

  const settings = createSettingsStore({ userDataDir: options.userDataDir, log });
  const contacts = createContactsStore({ userDataDir: options.userDataDir, log });
  const notices = new NoticeBoard((notice) => emit('notice', notice));
  const embeddedUrl = websocketUrl(EMBEDDED_HOST, options.embeddedPort);
  const history = new HistoryLog(options.userDataDir);
  const recorder = new CallRecorder((entry) => {
    history.add(entry).then(
      () => emit('history', history.summary()),
      (error: Error) => {
        log.error({ err: error }, 'could not save a call to the history');
        notices.post('error', translate()('A call could not be saved to the history: {{reason}}', { reason: error.message }));
      },
    );
  });
  /** The last link's call, until the page has asked the user about it. */
  let pendingDialRequest: DialRequest | null = null;
  const attentionListeners = new Set<(attention: Attention) => void>();
  /** The words in the app's language: the setting once loaded, else the system's. */
  const translate = (): Translate => {
    let language: 'system' | 'en' | 'de' = 'system';
    try {
      language = settings.get().desktop.language;
    } catch {
      // Not loaded yet: the system's language.
    }
    return translatorFor(resolveLanguage(language, options.systemLocale?.() ?? 'en'));
  };
  const attention = new CallAttention((state) => attentionListeners.forEach((listener) => listener(state)), translate);
  const switchboard: CallSwitchboard = new CallSwitchboard((event) => {
    recorder.event(event);
    const doNotDisturb = settings.get().desktop.doNotDisturb;
    if (event.kind === 'incoming' && doNotDisturb === 'busy') {
      // Do not disturb: the caller hears busy, the history lists the call as missed, nothing rings.
      const refusal = { kind: 'end', callId: event.callId, cause: 'busy' } as const;
      recorder.command(refusal);
      switchboard.handle(refusal).catch((error: Error) => log.warn({ err: error }, 'could not refuse a call while in do not disturb'));
      return;
    }
    // Ringing silently: the window shows the call, but no notification or flash asks for attention.
    if (!(event.kind === 'incoming' && doNotDisturb === 'silent')) attention.callEvent(event);
    emit('call', event);
  });
  const appCalls: AppCalls = new AppCalls({
    send: (message) => requireClient().send(message),
    sink: switchboard.sinkFor(() => appCalls),
    newCallId: () => `in-${randomUUID()}`,
    log,
  });
  switchboard.add(appCalls);
  const sipAccounts = new SipAccounts({
    settings,
    secrets,
    storeSecret: (name, value) => storeSecret(name, value),
    switchboard,
    onStates: (states) => emit('sipAccounts', states),
    log,
    ca: options.tls?.ca,
    accountOptions: options.sipTimings,
    translate: () => translate(),
  });

  let launchOverride = options.serverUrl;
  let embedded: EmbeddedServerHost | null = null;
  let localKey: Buffer | null = null;
  let client: SignalingClient | null = null;
  let currentUrl = launchOverride ?? embeddedUrl;
  let online: string[] = [];
  let signalingState = initialState();
  let serverIceServers: IceServer[] = [];
  let userIceServers: IceServer[] = [];
  let lastFailureNotice: string | null = null;
  let weaknessNoticePosted = false;
  let started = false;

  const rtc = (): RtcConfiguration => ({
    iceServers: structuredClone([...serverIceServers, ...userIceServers].slice(0, MAX_RTC_ICE_SERVERS)),
    iceTransportPolicy: settings.get().network.relayOnly ? 'relay' : 'all',
  });
  const connection = (): ConnectionState => ({
    ...signalingState,
    serverUrl: currentUrl,
    hostingServer: embedded?.hosting ?? false,
    rtc: rtc(),
  });
  /** Sorted once per change, not per snapshot: 10,000 names take tens of milliseconds to collate. */
  let sortedContacts: Contact[] | null = null;
  const contactList = (): Contact[] => (sortedContacts ??= sortContactsByName(contacts.list()));

  /** Runs a contacts change; a save that failed is also a notice, as the user may not be looking at the form. */
  async function changeContacts<R>(operation: () => Promise<R>): Promise<R> {
    try {
      // The list may have changed even when the operation failed part-way: sorted again on next use.
      const result = await operation().finally(() => (sortedContacts = null));
      emit('contacts', contactList());
      return result;
    } catch (error) {
      if (!(error instanceof ContactsError)) throw error;
      // The renderer shows the error too: both in the user's language.
      const words = new ContactsError(error.kind, translateMarked(error.message, translate()));
      if (error.kind === 'save-failed' || error.kind === 'unavailable') notices.post('error', words.message);
      throw words;
    }
  }

  function requireClient(): SignalingClient {
    if (!client) throw new Error(started ? 'Not connected to the signaling server: switching servers' : 'The softphone core has not started');
    return client;
  }

  async function key(): Promise<Buffer> {
    localKey ??= await loadOrCreateLocalKey(options.localKeyFile);
    return localKey;
  }

  /** Stores a secret; when this machine cannot keep it safely, says so in a notice too. */
  /** A history change the disk refused: the user hears why, and memory stayed as the disk is. */
  async function historyChange<R>(change: () => Promise<R>): Promise<R> {
    try {
      return await change();
    } catch (error) {
      notices.post('error', translate()('The call history could not be saved: {{reason}}', { reason: (error as Error).message }));
      throw error;
    }
  }

  async function loadHistory(): Promise<void> {
    try {
      const report = await history.load();
      if (report.skipped > 0) {
        notices.post(
          'warning',
          translate()('{{count}} entries of your call history could not be read and were left out; the file as it was is kept as {{file}}.', { count: report.skipped, file: path.basename(report.keptAs ?? '') }),
        );
      }
    } catch (error) {
      // The app still starts: calls work, they are just not remembered until this is fixed.
      log.error({ err: error }, 'call history unavailable');
      notices.post('error', translate()('Your call history cannot be read: {{reason}}', { reason: (error as Error).message }));
    }
  }

  async function storeSecret(name: string, value: string): Promise<void> {
    try {
      await secrets.set(name, value);
    } catch (error) {
      if (error instanceof SecretStoreUnavailableError) notices.post('error', translateMarked(error.message, translate()));
      throw error;
    }
    const weakness = secrets.weakness();
    if (weakness && !weaknessNoticePosted) {
      weaknessNoticePosted = true;
      notices.post('warning', translateMarked(weakness, translate()));
    }
  }

  /** The session token saved for this server, if it was given to this name. */
  function sessionStore(serverUrl: string, name: () => string | null, saving: boolean): SessionTokenStore {
    return {
      async load() {
        const saved = await secrets.get(secretNames.session(serverUrl));
        const current = name();
        if (!saved || current === null) return null;
        try {
          const { name: owner, token } = JSON.parse(saved) as { name?: unknown; token?: unknown };
          return owner === nameKey(current) && typeof token === 'string' ? token : null;
        } catch {
          return null;
        }
      },
      async save(token) {
        const current = name();
        if (!saving || current === null) return;
        try {
          await secrets.set(secretNames.session(serverUrl), JSON.stringify({ name: nameKey(current), token }));
        } catch (error) {
          // Without a safe store the name is simply not reserved across restarts.
          log.info({ err: error instanceof SecretStoreUnavailableError ? error.message : error }, 'session token not saved');
        }
      },
    };
  }

  async function authFor(serverUrl: string | null, password: string | null | undefined): Promise<SignalingAuth | undefined> {
    if (serverUrl === null) return { localKey: await key() };
    if (typeof password === 'string') return { password: async () => password };
    if (password === null) return undefined;
    const name = secretNames.password(serverUrl);
    return (await secrets.get(name)) === null ? undefined : { password: () => secrets.get(name) };
  }

  async function resolveUserIceServers(network: NetworkSettings): Promise<IceServer[]> {
    const resolved: IceServer[] = [];
    for (const server of network.iceServers) {
      const credential = server.hasCredential ? await secrets.get(secretNames.iceCredential(server.urls, server.username)) : null;
      if (isTurnUrl(server.urls) && (server.username === undefined || credential === null)) {
        // A TURN entry without its credential would make RTCPeerConnection throw.
        log.warn({ urls: server.urls }, 'TURN server left out: its credential is not available');
        continue;
      }
      resolved.push({
        urls: server.urls,
        ...(server.username !== undefined ? { username: server.username } : {}),
        ...(credential !== null ? { credential } : {}),
      });
    }
    return resolved;
  }

  function setOnline(users: string[]): void {
    online = users;
    emit('presence', { online });
  }

  function watch(next: SignalingClient): void {
    const current = () => client === next;
    next.on('state', (state) => {
      if (!current()) return;
      signalingState = state;
      if (state.status !== 'connected' && online.length) {
        // Presence from a server we lost is stale: show everyone offline until it is back.
        setOnline([]);
      }
      if (state.signedInAs !== null) lastFailureNotice = null;
      if (state.status === 'failed' && state.problem && state.lastError !== lastFailureNotice) {
        lastFailureNotice = state.lastError;
        notices.post('error', connectionProblemWords(state.problem, translate()));
      }
      emit('connection', connection());
    });
    next.on('userlist', (users) => current() && setOnline(users));
    next.on('ice-servers', (iceServers) => {
      if (!current()) return;
      serverIceServers = iceServers;
      emit('connection', connection());
    });
    next.on('renamed', ({ requested, assigned }) => {
      if (!current()) return;
      // The new name reaches the renderer with the connection state, which leaves it out of the contact list.
      notices.post('info', translate()('The name "{{requested}}" is already in use on this server, so you are signed in as "{{assigned}}".', { requested, assigned }));
    });
    next.on('signal', (message) => {
      if (!current()) return;
      if (typeof message.name === 'string') appCalls.receive(message as InboundSignal);
      else log.warn({ type: message.type }, 'dropped a call signal without a sender');
    });
    next.on('server-error', (error) => {
      if (!current()) return;
      if (error.inReplyTo && isRoutedType(error.inReplyTo)) {
        appCalls.refused(error);
      } else {
        log.warn({ error }, 'signaling server reported an error');
      }
    });
  }

  /** Drops the current connection and connects to the server the settings (or --server) name. */
  async function connectToConfiguredServer(): Promise<void> {
    const previous = client;
    client = null;
    await previous?.stop();

    const saved = settings.get();
    const serverUrl = launchOverride ?? saved.account.serverUrl;
    if (serverUrl !== null && embedded) {
      const host = embedded;
      embedded = null;
      await host.stop();
    }
    currentUrl = serverUrl ?? embeddedUrl;
    serverIceServers = [];
    signalingState = initialState();
    lastFailureNotice = null;
    if (online.length) setOnline([]);

    let auth: SignalingAuth | undefined;
    try {
      auth = await authFor(serverUrl, undefined);
    } catch (error) {
      const problem: ConnectionProblem = { code: 'local-key-unreadable', url: embeddedUrl, detail: (error as Error).message };
      log.error({ err: error }, 'local key unavailable');
      signalingState = { ...initialState(), status: 'failed', lastError: connectionProblemWords(problem, english), problem };
      notices.post('error', connectionProblemWords(problem, translate()));
      emit('connection', connection());
      return;
    }
    if (serverUrl === null) {
      embedded ??= new EmbeddedServerHost({ port: options.embeddedPort, log, key: localKey!, keyFile: options.localKeyFile, launchIvr: options.launchIvr });
    }
    const host = embedded;

    const next = new SignalingClient({
      url: currentUrl,
      name: saved.displayName,
      auth,
      session: sessionStore(currentUrl, () => settings.get().displayName, true),
      tls: options.tls,
      beforeConnect: serverUrl === null && host ? () => host.ensure() : undefined,
      log,
      ...options.signalingTimings,
    });
    watch(next);
    client = next;
    emit('connection', connection());
    next.start();
  }

  // Server switches run one at a time, in the order asked.
  let switching: Promise<void> = Promise.resolve();
  function reconnect(): Promise<void> {
    const run = switching.then(connectToConfiguredServer, connectToConfiguredServer);
    switching = run.catch((error: unknown) => log.error({ err: error }, 'could not switch servers'));
    return run;
  }

  async function testConnection(details: AccountDetails): Promise<ConnectionTestResult> {
    const serverUrl = details.serverUrl;
    const url = serverUrl ?? embeddedUrl;
    const live = signalingState.signedInAs;
    if (client && live !== null && serverKey(url) === serverKey(currentUrl) && nameKey(live) === nameKey(details.name)) {
      // A second sign-in with this name would take over (and sign out) the live connection.
      if (typeof details.password === 'string') {
        return {
          ok: false,
          message: translate()('You are signed in as {{name}} on this server right now, and testing a new password would sign that connection out. Save to sign in with it.', { name: live }),
        };
      }
      return { ok: true, message: translate()('Connected as {{name}} (your current connection)', { name: live }) };
    }

    let auth: SignalingAuth | undefined;
    try {
      auth = await authFor(serverUrl, details.password);
    } catch (error) {
      return { ok: false, message: connectionProblemWords({ code: 'local-key-unreadable', url, detail: (error as Error).message }, translate()) };
    }
    const timeoutMs = options.connectionTestTimeoutMs ?? DEFAULT_CONNECTION_TEST_TIMEOUT_MS;
    const probe = new SignalingClient({
      url,
      name: details.name,
      auth,
      // Presents a saved session (so our own reserved name is not "owned"), never saves one.
      session: sessionStore(url, () => details.name, false),
      tls: options.tls,
      connectTimeoutMs: timeoutMs,
      slowRetryMs: 3_600_000,
      log: log.child({ connectionTest: true }),
    });
    let renamed: { requested: string; assigned: string } | null = null;
    probe.on('renamed', (event) => (renamed = event));
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<ConnectionTestResult>((resolve) => {
        timer = setTimeout(
          () => resolve({ ok: false, message: translate()('No answer from {{url}} within {{seconds}} seconds', { url, seconds: Math.round(timeoutMs / 1000) }) }),
          timeoutMs,
        );
        probe.on('state', (state) => {
          if (state.signedInAs !== null) {
            const assigned = state.signedInAs;
            resolve({
              ok: true,
              message: renamed
                ? translate()('Connected, but as {{assigned}}: the name {{requested}} is in use', { assigned, requested: renamed.requested })
                : translate()('Connected as {{name}}', { name: assigned }),
            });
          } else if (state.status === 'reconnecting' && serverUrl === null && !embedded) {
            resolve({ ok: true, message: translate()("This computer's own server is not running yet; it starts when you save") });
          } else if (state.status === 'failed' || state.status === 'reconnecting') {
            resolve({ ok: false, message: state.problem ? connectionProblemWords(state.problem, translate()) : translate()('Could not connect to {{url}}', { url }) });
          }
        });
        probe.start();
      });
    } finally {
      clearTimeout(timer);
      await probe.stop();
    }
  }

  async function saveNetwork(details: NetworkDetails) {
    const previous = settings.get().network;
    // Check everything before changing anything.
    const plan: Array<{ server: NetworkDetails['iceServers'][number]; secret: string; stored: boolean }> = [];
    for (const server of details.iceServers) {
      const secret = secretNames.iceCredential(server.urls, server.username);
      const stored = server.credential === undefined && (await secrets.get(secret)) !== null;
      const willHave = typeof server.credential === 'string' || stored;
      if (isTurnUrl(server.urls) && !willHave) throw new Error(translate()('The TURN server {{url}} needs a password (credential)', { url: server.urls }));
      plan.push({ server, secret, stored });
    }
    const entries: UserIceServer[] = [];
    for (const { server, secret, stored } of plan) {
      if (typeof server.credential === 'string') await storeSecret(secret, server.credential);
      else if (server.credential === null) await secrets.delete(secret);
      entries.push({
        urls: server.urls,
        ...(server.username !== undefined ? { username: server.username } : {}),
        hasCredential: typeof server.credential === 'string' || stored,
      });
    }
    const kept = new Set(plan.map((p) => p.secret));
    for (const old of previous.iceServers) {
      const secret = secretNames.iceCredential(old.urls, old.username);
      if (!kept.has(secret)) await secrets.delete(secret);
    }

    const updated = await settings.update({ network: { iceServers: entries, relayOnly: details.relayOnly } });
    userIceServers = await resolveUserIceServers(updated.network);
    if (updated.network.relayOnly && ![...serverIceServers, ...userIceServers].some((s) => [s.urls].flat().some(isTurnUrl))) {
      notices.post('warning', translate()('Relay only is on, but no TURN server is known yet: calls cannot connect until one is set or the server offers one.'));
    }
    emit('settings', updated);
    emit('connection', connection());
    return updated;
  }

  const handlers: IpcHandlers = {
    getSnapshot: (): Snapshot => ({
      settings: settings.get(),
      connection: connection(),
      contacts: contactList(),
      presence: { online },
      notices: notices.list(),
      sipAccounts: sipAccounts.list(),
      history: history.summary(),
      dialRequest: pendingDialRequest,
    }),
    dialRequestSeen: () => {
      pendingDialRequest = null;
      return null;
    },
    listHistory: (request) => history.page(request),
    deleteHistoryEntry: async (id) => {
      if (await historyChange(() => history.delete(id))) emit('history', history.summary());
      return null;
    },
    clearHistory: async () => {
      await historyChange(() => history.clear());
      emit('history', history.summary());
      return null;
    },
    markHistorySeen: async () => {
      await historyChange(() => history.markSeen(Date.now()));
      emit('history', history.summary());
      return null;
    },
    saveSipAccount: async (details) => {
      const updated = await sipAccounts.save(details);
      emit('settings', updated);
      return updated;
    },
    removeSipAccount: async (id) => {
      const updated = await sipAccounts.remove(id);
      emit('settings', updated);
      return updated;
    },
    signIn: async (name) => {
      const updated = await settings.update({ displayName: name });
      emit('settings', updated);
      requireClient().signIn(name);
      return null;
    },
    saveAccount: async (details) => {
      const { serverUrl, password } = details;
      if (serverUrl !== null && typeof password === 'string') {
        const { protocol, hostname, host } = new URL(serverUrl);
        if (protocol === 'ws:' && !isLoopbackHost(hostname)) {
          throw new Error(translate()('A password is only sent over an encrypted connection: use wss://{{host}} instead of ws://', { host }));
        }
      }
      if (serverUrl !== null) {
        const secret = secretNames.password(serverUrl);
        if (typeof password === 'string') await storeSecret(secret, password);
        else if (password === null) await secrets.delete(secret);
      }
      const hasPassword = serverUrl !== null && (await secrets.get(secretNames.password(serverUrl))) !== null;
      const updated = await settings.update({ displayName: details.name, account: { serverUrl, hasPassword } });
      emit('settings', updated);
      // The user chose a server: it replaces --server from now on.
      launchOverride = null;
      await reconnect();
      return updated;
    },
    testConnection: (details) => testConnection(details),
    saveNetwork: (details) => saveNetwork(details),
    importContacts: ({ format, text }) =>
      changeContacts(async () => {
        const parsed = format === 'vcard' ? parseVcards(text) : parseCsv(text);
        const report = await contacts.importMany(parsed.cards);
        const t = translate();
        const skipped = [
          ...parsed.skipped.map(({ card, reason }) => ({ name: format === 'vcard' ? t('card {{number}}', { number: card }) : t('row {{number}}', { number: card }), reason })),
          ...report.skipped,
        ].map(({ name, reason }) => ({ name, reason: translateMarked(reason, t) }));
        return { added: report.added, merged: report.merged, skipped: skipped.slice(0, 1000), skippedCount: skipped.length };
      }),
    exportContacts: ({ format }) => {
      const all = contacts.list();
      const day = new Date().toISOString().slice(0, 10);
      return format === 'csv'
        ? { text: toCsv(all), fileName: `contacts-${day}.csv` }
        : { text: toVcards(all, format === 'vcard3' ? '3.0' : '4.0'), fileName: `contacts-${day}.vcf` };
    },
    addContact: (details) => changeContacts(() => contacts.add(details)),
    updateContact: (id, patch) => changeContacts(() => contacts.update(id, patch)),
    removeContact: (id) => changeContacts(() => contacts.remove(id)),
    restoreContact: (contact) => changeContacts(() => contacts.restore(contact)),
    updateSettings: async (patch) => {
      const language = settings.get().desktop.language;
      const updated = await settings.update(patch);
      if (updated.desktop.language !== language) attention.languageChanged();
      emit('settings', updated);
      return updated;
    },
    call: async (command) => {
      recorder.command(command);
      if (command.kind === 'answer' || command.kind === 'end') attention.callHandled(command.callId);
      try {
        await switchboard.handle(command);
      } catch (error) {
        if (command.kind === 'place') recorder.placeFailed(command.callId);
        throw error;
      }
      return null;
    },
    dismissNotice: (id) => {
      notices.dismiss(id);
      return null;
    },
  };

  return {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async start() {
      const [loadedSettings, loadedContacts] = await Promise.all([settings.load(), contacts.load()]);
      // 50,000 calls take a quarter of a second to read: the window need not wait for them.
      // Calls recorded meanwhile queue behind the read; the renderer hears when it is done.
      void loadHistory().then(() => emit('history', history.summary()));
      if (loadedSettings.recovered) notices.post('warning', describeRecovery('settings', loadedSettings.recovered, translate()));
      for (const { level, text } of contactsLoadNotices(loadedContacts, translate())) notices.post(level, text);
      userIceServers = await resolveUserIceServers(loadedSettings.settings.network);
      started = true;
      sipAccounts.start();
      await reconnect();
    },

    openLink(url) {
      const parsed = parseCallLink(url);
      if (!parsed.ok) {
        notices.post('error', translate()('The link could not be opened: {{reason}}', { reason: parsed.message }));
        return;
      }
      pendingDialRequest = { dialString: parsed.link.dialString, kind: parsed.link.kind };
      emit('dialRequest', pendingDialRequest);
    },

    onAttention(listener) {
      attentionListeners.add(listener);
      return () => attentionListeners.delete(listener);
    },
    translate,

    windowInFront(inFront) {
      attention.windowInFront(inFront);
    },

    notificationAction(callId, action) {
      emit('callAction', { callId, action });
    },

    networkMayHaveChanged() {
      sipAccounts.retryNow();
    },

    async stop() {
      await sipAccounts.stop();
      await switching;
      const last = client;
      client = null;
      await last?.stop();
      await embedded?.stop();
      embedded = null;
      listeners.clear();
    },
  };
}
