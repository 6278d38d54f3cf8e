import { expect, test } from '@playwright/test';
import { Settings, type Contact, type Snapshot } from '../../../common/ipc-contract.ts';
import {
  createIpcRouter,
  isAppPage,
  validateEvent,
  type IpcHandlers,
  type IpcSender,
} from '../../../main/core/ipc-router.ts';
import { createCapturingLogger } from '../../support/capturing-logger.ts';
import { savedContact } from '../../support/contact-fixtures.ts';

const PAGE_URL = 'file:///opt/Softphone/resources/app.asar/dist/renderer/index.html';
const appPage: IpcSender = { url: PAGE_URL, isMainFrame: true };

const bob: Contact = savedContact('0b5e7d0c-1f4a-4c1e-9c43-5d7b8a9e2f10', 'Bob');

const snapshot: Snapshot = {
  settings: Settings.parse({ displayName: 'Alice' }),
  connection: {
    status: 'connected',
    serverUrl: 'ws://127.0.0.1:8765',
    hostingServer: true,
    signedInAs: 'Alice',
    attempt: 0,
    retryInMs: null,
    lastError: null,
    problem: null,
    rtc: { iceServers: [], iceTransportPolicy: 'all' },
  },
  contacts: [bob],
  presence: { online: ['Bob', 'Carol'] },
  notices: [],
  sipAccounts: [],
  history: { recent: [], total: 0, unseenMissed: 0 },
  dialRequest: null,
};

/** Handlers that record what reached them; each test may override one. */
function setup(overrides: Partial<IpcHandlers> = {}) {
  const received: Array<{ method: string; args: unknown[] }> = [];
  const recording =
    <R>(method: string, result: R) =>
    (...args: unknown[]) => {
      received.push({ method, args });
      return result;
    };
  const handlers: IpcHandlers = {
    getSnapshot: recording('getSnapshot', snapshot),
    signIn: recording('signIn', null),
    addContact: recording('addContact', bob),
    removeContact: recording('removeContact', bob),
    updateContact: recording('updateContact', bob),
    restoreContact: recording('restoreContact', bob),
    updateSettings: recording('updateSettings', snapshot.settings),
    saveAccount: recording('saveAccount', snapshot.settings),
    testConnection: recording('testConnection', { ok: true, message: 'Connected as Alice' }),
    saveNetwork: recording('saveNetwork', snapshot.settings),
    saveSipAccount: recording('saveSipAccount', snapshot.settings),
    removeSipAccount: recording('removeSipAccount', snapshot.settings),
    listHistory: recording('listHistory', { entries: [], more: false }),
    deleteHistoryEntry: recording('deleteHistoryEntry', null),
    clearHistory: recording('clearHistory', null),
    markHistorySeen: recording('markHistorySeen', null),
    dialRequestSeen: recording('dialRequestSeen', null),
    importContacts: recording('importContacts', { added: 0, merged: 0, skipped: [], skippedCount: 0 }),
    exportContacts: recording('exportContacts', { text: '', fileName: 'contacts.vcf' }),
    call: recording('call', null),
    dismissNotice: recording('dismissNotice', null),
    ...overrides,
  };
  const { log, warnings, lines } = createCapturingLogger();
  const router = createIpcRouter({ handlers, isTrustedSender: isAppPage(PAGE_URL), log });
  return { router, received, warnings, lines };
}

test.describe('calls the router accepts', () => {
  test('reach the handler with the parsed arguments and return its result', async () => {
    const { router, received } = setup();

    expect(await router.invoke(appPage, 'getSnapshot', [])).toEqual(snapshot);
    expect(await router.invoke(appPage, 'signIn', ['  Alice  '])).toBeNull();
    const place = { kind: 'place', callId: 'c1', account: 'app', to: 'Bob', offer: { type: 'offer', sdp: 'v=0' }, video: true };
    expect(await router.invoke(appPage, 'call', [place])).toBeNull();

    expect(received).toEqual([
      { method: 'getSnapshot', args: [] },
      // Parsed by the contract: the name arrives trimmed.
      { method: 'signIn', args: ['Alice'] },
      { method: 'call', args: [place] },
    ]);
  });

  test('strip fields the contract does not know before the handler sees them', async () => {
    const { router, received } = setup();

    await router.invoke(appPage, 'call', [{ kind: 'end', callId: 'c1', cause: 'busy', unexpectedField: { admin: true } }]);

    expect(received).toEqual([{ method: 'call', args: [{ kind: 'end', callId: 'c1', cause: 'busy' }] }]);
  });

  test('come from the app page even when its hash or query changed', async () => {
    const { router } = setup();

    await expect(router.invoke({ url: `${PAGE_URL}#/call/Bob`, isMainFrame: true }, 'getSnapshot', [])).resolves.toEqual(
      snapshot,
    );
    await expect(router.invoke({ url: `${PAGE_URL}?debug=1`, isMainFrame: true }, 'getSnapshot', [])).resolves.toEqual(
      snapshot,
    );
  });

  test('pass on an error the handler throws', async () => {
    const { router } = setup({
      signIn: () => {
        throw new Error('The softphone core has not started');
      },
    });

    await expect(router.invoke(appPage, 'signIn', ['Alice'])).rejects.toThrow('The softphone core has not started');
  });
});

test.describe('calls the router rejects, without reaching a handler', () => {
  for (const method of ['bogus', 'toString', '__proto__', 'constructor', '']) {
    test(`an unknown method "${method}"`, async () => {
      const { router, received, warnings } = setup();

      await expect(router.invoke(appPage, method, [])).rejects.toThrow(
        new RegExp(`Unknown IPC method "${method}"; known: getSnapshot, signIn`),
      );
      expect(received).toEqual([]);
      expect(warnings()).toHaveLength(1);
    });
  }

  const untrusted: Array<[string, IpcSender]> = [
    ['another web site', { url: 'https://example.com/', isMainFrame: true }],
    ['another local file', { url: 'file:///tmp/evil.html', isMainFrame: true }],
    ['the app page on another host', { url: PAGE_URL.replace('file:///', 'file://evil-host/'), isMainFrame: true }],
    ['the app page served over http', { url: PAGE_URL.replace('file://', 'http://127.0.0.1'), isMainFrame: true }],
    ['a subframe showing the app page', { url: PAGE_URL, isMainFrame: false }],
    ['a frame that is gone (no URL)', { url: '', isMainFrame: true }],
    ['a frame with a malformed URL', { url: 'not a url', isMainFrame: true }],
  ];
  for (const [who, sender] of untrusted) {
    test(`a call from ${who}`, async () => {
      const { router, received, warnings } = setup();

      await expect(router.invoke(sender, 'signIn', ['Alice'])).rejects.toThrow(
        /IPC method "signIn" refused: the sender .* is not the app page/,
      );
      expect(received).toEqual([]);
      expect(warnings()).toEqual([expect.objectContaining({ method: 'signIn', sender })]);
    });
  }

  const badArgs: Array<[string, string, unknown[], RegExp]> = [
    ['a missing argument', 'signIn', [], /IPC method "signIn" called with invalid arguments: args: Too small: expected array to have >=1 items/],
    ['an extra argument', 'getSnapshot', ['surprise'], /IPC method "getSnapshot" called with invalid arguments: args: Too big/],
    [
      'an empty name and no address',
      'addContact',
      [{ name: ' ', addresses: [] }],
      /IPC method "addContact" called with invalid arguments: args\[0\]\.name: A contact needs a name; args\[0\]\.addresses: A contact needs at least one address/,
    ],
    [
      'a SIP address that is not one',
      'addContact',
      [{ name: 'Bob', addresses: [{ kind: 'sip', value: 'bob at home' }] }],
      /args\[0\]\.addresses\[0\]\.value: A SIP address looks like sip:alice@pbx\.example\.org/,
    ],
    ['a field the contract does not know', 'updateContact', [bob.id, { name: 'Bobby', owner: 'Mallory' }], /args\[1\]: Unrecognized key: "owner"/],
    ['a number for an id', 'removeContact', [42], /IPC method "removeContact" called with invalid arguments: args\[0\]: A contact id must be text/],
    ['a contact with a made-up field', 'restoreContact', [{ ...bob, admin: true }], /IPC method "restoreContact" called with invalid arguments: args\[0\]: Unrecognized key: "admin"/],
    [
      'a call command of an unknown kind',
      'call',
      [{ kind: 'take-over', callId: 'c1' }],
      /IPC method "call" called with invalid arguments: args\[0\]\.kind/,
    ],
    [
      'a call command without a call id',
      'call',
      [{ kind: 'end', cause: 'hangup' }],
      /IPC method "call" called with invalid arguments: args\[0\]\.callId/,
    ],
    [
      'a wire message instead of the call vocabulary',
      'call',
      [{ type: 'video-offer', target: 'Bob', sdp: { type: 'offer', sdp: 'v=0' } }],
      /IPC method "call" called with invalid arguments: args\[0\]\.kind/,
    ],
    ['a notice id that is not a string', 'dismissNotice', [{ id: 'n1' }], /IPC method "dismissNotice" called with invalid arguments/],
  ];
  for (const [what, method, args, message] of badArgs) {
    test(`${method} with ${what}`, async () => {
      const { router, received, warnings } = setup();

      await expect(router.invoke(appPage, method, args)).rejects.toThrow(message);
      expect(received).toEqual([]);
      expect(warnings()).toHaveLength(1);
    });
  }
});

test.describe('results outside the contract', () => {
  test('are rejected instead of reaching the renderer', async () => {
    const { router, lines } = setup({
      getSnapshot: () => ({ ...snapshot, connection: { ...snapshot.connection, status: 'dancing' } }) as unknown as Snapshot,
    });

    await expect(router.invoke(appPage, 'getSnapshot', [])).rejects.toThrow(
      /IPC method "getSnapshot" produced an invalid result: result\.connection\.status/,
    );
    expect(lines.some((line) => line.level >= 50 && /outside the contract/.test(String(line.msg)))).toBe(true);
  });

  test('include a handler resolving with something where the contract says null', async () => {
    const { router } = setup({ dismissNotice: async () => true as unknown as null });

    await expect(router.invoke(appPage, 'dismissNotice', ['n1'])).rejects.toThrow(
      /IPC method "dismissNotice" produced an invalid result/,
    );
  });

  test('include a contact without its id', async () => {
    const { router } = setup({ addContact: async () => ({ ...bob, id: undefined }) as unknown as Contact });

    await expect(router.invoke(appPage, 'addContact', [{ name: 'Bob', addresses: [{ kind: 'app', value: 'Bob' }] }])).rejects.toThrow(
      /IPC method "addContact" produced an invalid result/,
    );
  });
});

test.describe('validateEvent', () => {
  test('returns the parsed payload of a valid event', () => {
    expect(validateEvent('settings', { displayName: 'Alice' })).toEqual(Settings.parse({ displayName: 'Alice' }));
    expect(validateEvent('notice', { id: 'n1', level: 'warning', text: 'Careful', extra: 1 })).toEqual({
      id: 'n1',
      level: 'warning',
      text: 'Careful',
    });
  });

  test('throws for an invalid payload, naming the event and the problem', () => {
    expect(() => validateEvent('notice', { id: 'n1', level: 'panic', text: 'x' })).toThrow(
      /IPC event "notice" has an invalid payload: payload\.level/,
    );
    expect(() => validateEvent('contacts', null)).toThrow(/IPC event "contacts" has an invalid payload/);
  });

  test('throws for an event the contract does not have', () => {
    expect(() => validateEvent('bogus' as 'notice', {})).toThrow(/Unknown IPC event "bogus"; known: connection/);
  });
});

test.describe('isAppPage', () => {
  const trusted = isAppPage(PAGE_URL);

  test('accepts the page itself in the main frame, whatever its hash or query', () => {
    expect(trusted({ url: PAGE_URL, isMainFrame: true })).toBe(true);
    expect(trusted({ url: `${PAGE_URL}#x`, isMainFrame: true })).toBe(true);
    expect(trusted({ url: `${PAGE_URL}?a=b#c`, isMainFrame: true })).toBe(true);
  });

  test('refuses subframes, other pages and other origins', () => {
    expect(trusted({ url: PAGE_URL, isMainFrame: false })).toBe(false);
    expect(trusted({ url: PAGE_URL.replace('index.html', 'other.html'), isMainFrame: true })).toBe(false);
    expect(trusted({ url: `${PAGE_URL}/`, isMainFrame: true })).toBe(false);
    expect(trusted({ url: 'https://example.com/dist/renderer/index.html', isMainFrame: true })).toBe(false);
    expect(trusted({ url: '', isMainFrame: true })).toBe(false);
  });

  test('works for an http page too, comparing its origin and path', () => {
    const devServer = isAppPage('http://127.0.0.1:5173/index.html');
    expect(devServer({ url: 'http://127.0.0.1:5173/index.html#x', isMainFrame: true })).toBe(true);
    expect(devServer({ url: 'http://127.0.0.1:5174/index.html', isMainFrame: true })).toBe(false);
    expect(devServer({ url: 'http://localhost:5173/index.html', isMainFrame: true })).toBe(false);
  });
});
