/**
 * Bundled into the test page in place of the Electron preload: the same
 * createBridge over the same contract, with a Playwright binding as transport.
 */
import { createBridge } from '../../common/ipc-bridge.ts';

type Listener = (payload: unknown) => void;

declare global {
  interface Window {
    __softphoneInvoke(method: string, args: unknown[]): Promise<unknown>;
    __softphoneDeliver(event: string, payload: unknown): void;
    softphone: unknown;
  }
}

const listeners = new Map<string, Set<Listener>>();

window.__softphoneDeliver = (event, payload) => {
  for (const listener of listeners.get(event) ?? []) listener(payload);
};

window.softphone = createBridge({
  invoke: (method, args) => window.__softphoneInvoke(method, args),
  subscribe: (event, listener) => {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener);
    return () => void set.delete(listener);
  },
});
