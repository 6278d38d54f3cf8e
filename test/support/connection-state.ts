/** A ConnectionState for renderer tests: signed in as Alice, no relay, with what a test changes on top. */
import type { ConnectionState } from '../../common/ipc-contract.ts';

export function connectedState(overrides: Partial<ConnectionState> = {}): ConnectionState {
  return {
    status: 'connected',
    serverUrl: 'wss://phone.example.com',
    hostingServer: false,
    signedInAs: 'Alice',
    attempt: 0,
    retryInMs: null,
    lastError: null,
    problem: null,
    rtc: { iceServers: [], iceTransportPolicy: 'all' },
    ...overrides,
  };
}
