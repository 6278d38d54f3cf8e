/**
 * Sandboxed preload: exposes exactly the IPC contract as `window.softphone`.
 * Nothing else from Electron or Node reaches the page. It knows channel names
 * only (common/ipc-channels.ts) and forwards; main validates every payload.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from '../common/ipc-bridge.ts';
import { eventChannel, methodChannel } from '../common/ipc-channels.ts';
import type { SoftphoneApi } from '../common/ipc-contract.ts';

const softphone = createBridge({
  invoke: (method, args) => ipcRenderer.invoke(methodChannel(method), ...args),
  subscribe: (event, listener) => {
    const channel = eventChannel(event);
    // Hand the page the payload only, never Electron's event object.
    const wrapped = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => void ipcRenderer.removeListener(channel, wrapped);
  },
}) satisfies SoftphoneApi;

contextBridge.exposeInMainWorld('softphone', softphone);
