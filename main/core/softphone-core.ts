/**
 * Everything the main process does for the renderer, without Electron: the
 * signaling connection, saved contacts and settings, presence, notices. The
 * Electron entry (and the browser test host) wire its handlers to IPC and its
 * events to the window.
 */
import path from 'node:path';
import {
  InboundSignal,
  type ConnectionState,
  type EventName,
  type EventPayload,
  type Snapshot,
} from '../../common/ipc-contract.ts';
import type { Logger } from '../../common/logger.ts';
import { isRoutedType } from '../../common/signaling-protocol.ts';
import { createContactsStore } from './contacts-store.ts';
import { mergeDirectory } from './directory.ts';
import { EmbeddedServerHost } from './embedded-server-host.ts';
import type { IpcHandlers } from './ipc-router.ts';
import type { Recovery } from './json-file-store.ts';
import { NoticeBoard } from './notice-board.ts';
import { createSettingsStore } from './settings-store.ts';
import { SignalingClient, type SignalingState } from '../../common/signaling-client.ts';

export interface SoftphoneCoreOptions {
  userDataDir: string;
  /** An explicit signaling server; null hosts or joins the embedded one. */
  serverUrl: string | null;
  /** Port of the embedded server on 127.0.0.1. */
  embeddedPort: number;
  log: Logger;
  /** Shorter timings for tests; defaults suit real use. */
  signalingTimings?: { heartbeatIntervalMs?: number; heartbeatTimeoutMs?: number; backoff?: { initialMs: number; maxMs: number } };
}

export type CoreEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface SoftphoneCore {
  readonly handlers: IpcHandlers;
  onEvent(listener: CoreEventListener): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function describeRecovery(what: string, recovery: Recovery): string {
  return `Your ${what} file could not be read (${recovery.reason}). It was kept as ${path.basename(recovery.movedTo)} and nothing was deleted; starting with a fresh one.`;
}

export function createSoftphoneCore(options: SoftphoneCoreOptions): SoftphoneCore {
  const { log } = options;
  const listeners = new Set<CoreEventListener>();
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const listener of listeners) listener(event, payload);
  };

  const settings = createSettingsStore({ userDataDir: options.userDataDir, log });
  const contacts = createContactsStore({ userDataDir: options.userDataDir, log });
  const notices = new NoticeBoard((notice) => emit('notice', notice));
  const embedded = options.serverUrl === null ? new EmbeddedServerHost(options.embeddedPort, log) : null;
  const serverUrl = options.serverUrl ?? embedded!.url;

  let client: SignalingClient | null = null;
  let online: string[] = [];
  let signalingState: SignalingState = { status: 'connecting', attempt: 0, retryInMs: null, lastError: null, signedInAs: null };

  const connection = (): ConnectionState => ({ ...signalingState, serverUrl, hostingServer: embedded?.hosting ?? false });
  const directory = () => mergeDirectory(contacts.entries(), online, signalingState.signedInAs);

  function requireClient(): SignalingClient {
    if (!client) throw new Error('The softphone core has not started');
    return client;
  }

  const handlers: IpcHandlers = {
    getSnapshot: (): Snapshot => ({ settings: settings.get(), connection: connection(), directory: directory(), notices: notices.list() }),
    signIn: async (name) => {
      const updated = await settings.update({ displayName: name });
      emit('settings', updated);
      requireClient().signIn(name);
      return null;
    },
    addContact: async (name) => {
      if (await contacts.add(name)) emit('directory', directory());
      return null;
    },
    removeContact: async (name) => {
      if (await contacts.remove(name)) emit('directory', directory());
      return null;
    },
    updateContact: async (name, details) => {
      if (!(await contacts.update(name, details))) throw new Error(`"${name}" is not a saved contact`);
      emit('directory', directory());
      return null;
    },
    updateSettings: async (patch) => {
      const updated = await settings.update(patch);
      emit('settings', updated);
      return updated;
    },
    sendSignal: (signal) => {
      requireClient().send(signal);
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
      if (loadedSettings.recovered) notices.post('warning', describeRecovery('settings', loadedSettings.recovered));
      if (loadedContacts.recovered) notices.post('warning', describeRecovery('contacts', loadedContacts.recovered));

      client = new SignalingClient({
        url: serverUrl,
        name: loadedSettings.settings.displayName,
        beforeConnect: embedded ? () => embedded.ensure() : undefined,
        log,
        ...options.signalingTimings,
      });
      client.on('state', (state) => {
        signalingState = state;
        if (state.status !== 'connected' && online.length) {
          // Presence from a server we lost is stale: show everyone offline until it is back.
          online = [];
          emit('directory', directory());
        }
        emit('connection', connection());
      });
      client.on('userlist', (users) => {
        online = users;
        emit('directory', directory());
      });
      client.on('renamed', ({ requested, assigned }) => {
        notices.post('info', `The name "${requested}" is already in use on this server, so you are signed in as "${assigned}".`);
        emit('directory', directory());
      });
      client.on('signal', (message) => {
        const parsed = InboundSignal.safeParse(message);
        if (parsed.success) emit('signal', parsed.data);
        else log.warn({ type: message.type }, 'dropped a call signal without a sender');
      });
      client.on('server-error', (error) => {
        if (error.inReplyTo && isRoutedType(error.inReplyTo)) {
          emit('signalError', {
            code: error.code,
            message: error.message,
            target: error.target,
            callId: error.callId,
            inReplyTo: error.inReplyTo,
          });
        } else {
          log.warn({ error }, 'signaling server reported an error');
        }
      });
      client.start();
    },

    async stop() {
      await client?.stop();
      await embedded?.stop();
      listeners.clear();
    },
  };
}
