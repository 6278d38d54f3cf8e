/**
 * Builds the `window.softphone` object from the contract over any transport.
 * The Electron preload passes ipcRenderer; the browser test host passes a
 * Playwright binding. Only the transport differs, never the shape.
 */
import { eventNames, isEventName, methodNames, type EventName, type MethodName } from './ipc-channels.ts';
// Types only: the contract's schemas (and zod) stay out of the preload bundle.
import type { SoftphoneApi } from './ipc-contract.ts';

export interface BridgeTransport {
  invoke(method: MethodName, args: unknown[]): Promise<unknown>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

export function createBridge(transport: BridgeTransport): SoftphoneApi {
  const api: Record<string, unknown> = {};
  for (const method of methodNames) {
    api[method] = (...args: unknown[]) => transport.invoke(method, args);
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!isEventName(event)) throw new Error(`Unknown softphone event "${String(event)}"; known: ${eventNames.join(', ')}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    return transport.subscribe(event, listener);
  };
  return Object.freeze(api) as SoftphoneApi;
}
