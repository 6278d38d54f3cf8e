/**
 * The account and network parts of the contract, seen from the renderer: the
 * request and view types the settings components share, and the
 * RTCConfiguration a new call uses.
 */
import type { ConnectionState, MethodArgs, MethodResult, Settings } from '../../common/ipc-contract.ts';

export type SaveAccountRequest = MethodArgs<'saveAccount'>[0];
export type SaveNetworkRequest = MethodArgs<'saveNetwork'>[0];
export type ConnectionTestResult = MethodResult<'testConnection'>;
export type AccountView = Settings['account'];
export type NetworkView = Settings['network'];
export type IceServerView = NetworkView['iceServers'][number];

/**
 * The RTCConfiguration for the next call: what main worked out (the server's
 * TURN credentials plus the user's own servers, relay-only as the policy).
 */
export function rtcConfigurationOf(connection: ConnectionState): RTCConfiguration {
  const { rtc } = connection;
  return { iceServers: rtc.iceServers.map((server) => ({ ...server })), iceTransportPolicy: rtc.iceTransportPolicy };
}
