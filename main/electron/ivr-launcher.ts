/**
 * Starts the demo IVR worker in an Electron utility process. The app cannot
 * child_process.fork its own binary as Node (the RunAsNode fuse goes off), so
 * this is how the hosting instance gives the IVR a process of its own.
 *
 * `utilityProcess` is passed in rather than imported, so this file can be
 * tried against a stand-in without Electron.
 */
import path from 'node:path';
import type { ForkOptions, UtilityProcess } from 'electron';
import type { IvrLauncher, IvrWorkerProcess } from '../core/embedded-server-host.ts';

/** What the launcher needs of Electron's `utilityProcess`. */
export interface UtilityProcessModule {
  fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityProcess;
}

/** The name Electron shows for the process (app.getAppMetrics, child-process-gone). */
export const IVR_SERVICE_NAME = 'Softphone demo IVR';

/**
 * The built worker beside the main bundle: dist/main/ivr-worker.cjs (see
 * vite.electron.config.ts). Only meaningful inside the bundle, where
 * __dirname is dist/main.
 */
export function builtIvrWorkerPath(mainBundleDir: string = __dirname): string {
  return path.join(mainBundleDir, 'ivr-worker.cjs');
}

export function utilityProcessIvrLauncher(utilityProcess: UtilityProcessModule, modulePath: string = builtIvrWorkerPath()): IvrLauncher {
  return (args): IvrWorkerProcess => {
    const child = utilityProcess.fork(modulePath, args, { serviceName: IVR_SERVICE_NAME, stdio: 'inherit' });
    let exited = false;
    let exitCode: number | null = null;
    const exitListeners: Array<(code: number | null) => void> = [];
    child.once('exit', (code) => {
      exited = true;
      exitCode = code;
      for (const listener of exitListeners.splice(0)) listener(code);
    });
    return {
      get pid() {
        return child.pid;
      },
      onMessage: (listener) => {
        child.on('message', listener);
      },
      onExit: (listener) => {
        if (exited) listener(exitCode);
        else exitListeners.push(listener);
      },
      postMessage: (message) => {
        if (!exited) child.postMessage(message);
      },
      kill: () => {
        if (!exited) child.kill();
      },
    };
  };
}
