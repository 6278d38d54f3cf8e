/**
 * Connects Electron's ipcMain to the router: one handler per contract method,
 * and no other. Electron-specific only in how it names the sender.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { methodChannel, methodNames } from '../../common/ipc-contract.ts';
import type { Logger } from '../../common/logger.ts';
import type { IpcRouter, IpcSender } from '../core/ipc-router.ts';

function senderOf(event: IpcMainInvokeEvent): IpcSender {
  // senderFrame is null once the frame has navigated away or gone; such a
  // sender has no URL and is therefore never trusted.
  const frame = event.senderFrame;
  return {
    url: frame?.url ?? '',
    isMainFrame: frame != null && frame === event.sender.mainFrame,
  };
}

/** Registers the handlers; returns a function that removes them again. */
export function registerIpcHandlers(ipcMain: IpcMain, router: IpcRouter, log: Logger): () => void {
  for (const method of methodNames) {
    ipcMain.handle(methodChannel(method), async (event, ...args: unknown[]) => {
      try {
        return await router.invoke(senderOf(event), method, args);
      } catch (error) {
        log.error({ err: error, method }, 'IPC call failed');
        throw error;
      }
    });
  }
  return () => {
    for (const method of methodNames) ipcMain.removeHandler(methodChannel(method));
  };
}
