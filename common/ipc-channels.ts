/**
 * The names of every IPC method and event, without their schemas.
 *
 * The sandboxed preload needs only these names (it forwards, main validates),
 * so it imports this file and never the contract with its schemas and the
 * validation library. The contract (ipc-contract.ts) is checked against these
 * lists with `satisfies`, so a name missing on either side, or added on one
 * side only, fails the type check; test/common/ipc-channels.spec.ts checks the
 * same at run time.
 */
export const methodNames = [
  'getSnapshot',
  'signIn',
  'addContact',
  'removeContact',
  'importContacts',
  'exportContacts',
  'restoreContact',
  'updateContact',
  'updateSettings',
  'saveAccount',
  'testConnection',
  'saveNetwork',
  'saveSipAccount',
  'removeSipAccount',
  'listHistory',
  'deleteHistoryEntry',
  'clearHistory',
  'markHistorySeen',
  'dialRequestSeen',
  'call',
  'dismissNotice',
] as const;

export const eventNames = ['connection', 'contacts', 'presence', 'settings', 'sipAccounts', 'history', 'dialRequest', 'callAction', 'call', 'notice'] as const;

export type MethodName = (typeof methodNames)[number];
export type EventName = (typeof eventNames)[number];

/** The Electron IPC channel that carries a method call. */
export const methodChannel = (method: MethodName): string => `softphone:${method}`;
/** The Electron IPC channel that carries an event from main. */
export const eventChannel = (event: EventName): string => `softphone:event:${event}`;

const methodSet: ReadonlySet<string> = new Set(methodNames);
const eventSet: ReadonlySet<string> = new Set(eventNames);

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && methodSet.has(value);
}
export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && eventSet.has(value);
}
