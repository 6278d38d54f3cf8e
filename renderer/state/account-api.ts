/**
 * The account and network parts of the contract, seen from the renderer.
 *
 * Written so it compiles and runs against a core that has them and one that
 * does not yet: the methods may be missing (then the settings say so), and
 * `connection.rtc` may be absent (then calls use no STUN/TURN at all).
 */
import type { ConnectionState, Settings, SoftphoneApi } from '../../common/ipc-contract.ts';

export type AccountApi = Pick<Required<SoftphoneApi>, 'saveAccount' | 'testConnection' | 'saveNetwork'>;
export type SaveAccountRequest = Parameters<AccountApi['saveAccount']>[0];
export type SaveNetworkRequest = Parameters<AccountApi['saveNetwork']>[0];
export type ConnectionTestResult = Awaited<ReturnType<AccountApi['testConnection']>>;
export type AccountView = NonNullable<Settings['account']>;
export type NetworkView = NonNullable<Settings['network']>;
export type IceServerView = NetworkView['iceServers'][number];

/** The account methods, or null when this app core does not offer them. */
export function accountApi(api: SoftphoneApi): AccountApi | null {
  const methods = api as Partial<AccountApi>;
  return methods.saveAccount && methods.testConnection && methods.saveNetwork ? (methods as AccountApi) : null;
}

export const ACCOUNT_API_MISSING = 'This version of the app cannot change account or network settings yet.';

/** Saved account details, with what a core without accounts implies: the built-in server, no password. */
export function accountOf(settings: Settings): AccountView {
  return settings.account ?? { serverUrl: null, hasPassword: false };
}

export function networkOf(settings: Settings): NetworkView {
  return settings.network ?? { iceServers: [], relayOnly: false };
}

/**
 * The RTCConfiguration for the next call: what main worked out (the server's
 * TURN credentials plus the user's own servers). Without it, no STUN/TURN:
 * calls then work on a LAN or loopback and nothing leaks to a public server.
 */
export function rtcConfigurationOf(connection: ConnectionState): RTCConfiguration {
  const rtc = connection.rtc;
  if (!rtc) return { iceServers: [] };
  return { iceServers: rtc.iceServers.map((server) => ({ ...server })), iceTransportPolicy: rtc.iceTransportPolicy };
}
