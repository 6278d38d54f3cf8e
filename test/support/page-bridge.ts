/**
 * Bundled into the test page in place of the Electron preload: the same
 * createBridge over the same contract, with a Playwright binding as transport.
 *
 * Results and events cross as JSON text: Playwright's own serialisation of a
 * deep object is far slower than Electron's structured clone (10,000 contacts
 * took 1.5 s instead of tens of milliseconds), and would make the page look
 * slower than the app is.
 */
import { createBridge } from '../../common/ipc-bridge.ts';

type Listener = (payload: unknown) => void;

declare global {
  interface Window {
    __softphoneInvoke(method: string, args: unknown[]): Promise<string | undefined>;
    __softphoneDeliver(event: string, payloadJson: string): void;
    softphone: unknown;
  }
}

const listeners = new Map<string, Set<Listener>>();

window.__softphoneDeliver = (event, payloadJson) => {
  const payload: unknown = JSON.parse(payloadJson);
  for (const listener of listeners.get(event) ?? []) listener(payload);
};

window.softphone = createBridge({
  invoke: async (method, args) => {
    const json = await window.__softphoneInvoke(method, args);
    return json === undefined ? undefined : JSON.parse(json);
  },
  subscribe: (event, listener) => {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener);
    return () => void set.delete(listener);
  },
});
