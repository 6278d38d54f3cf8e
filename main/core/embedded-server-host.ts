/**
 * "Works out of the box": with no server configured, the first app instance
 * on this machine hosts the signaling server on 127.0.0.1 and later instances
 * join it. Before every connection attempt we try to host; if the port is
 * taken, someone else hosts and we connect to them. So when the hosting
 * instance quits, the next one to reconnect takes over.
 *
 * The hosted server only signs in programs that know the per-user key
 * (common/local-key.ts).
 *
 * The instance that hosts also runs the demo IVR against its server, so
 * there is always someone to call to try the keypad. The IVR runs in a
 * process of its own (ivr/ivr-worker.ts), so a caller cannot stall this one:
 * by default a child_process.fork, in the Electron app a utility process
 * (main/electron/ivr-launcher.ts). If it dies, the host logs it and starts it
 * again with backoff; the app works without it either way.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { backoffDelayMs, type BackoffOptions } from '../../common/backoff.ts';
import type { Logger } from '../../common/logger.ts';
import { websocketUrl } from '../../common/websocket-url.ts';
import { startSignalingServer, type SignalingServer, type SignalingServerOptions } from '../../server/signaling-server.ts';
import { WorkerMessage, workerArgs, type HostMessage } from '../../ivr/ivr-worker-protocol.ts';

export const EMBEDDED_HOST = '127.0.0.1';
export const EMBEDDED_IVR_NAME = 'Demo IVR';

/** A running IVR worker as the host sees it: Node's ChildProcess or Electron's UtilityProcess, adapted. */
export interface IvrWorkerProcess {
  /** The OS process id; may be undefined until the process has spawned. */
  readonly pid: number | undefined;
  onMessage(listener: (message: unknown) => void): void;
  /** Once, when the process has ended (or could not start). */
  onExit(listener: (code: number | null) => void): void;
  postMessage(message: HostMessage): void;
  /** Ends the process without waiting for it to stop politely. */
  kill(): void;
}

/** Starts the IVR worker with these arguments (see ivr/ivr-worker-protocol.ts). */
export type IvrLauncher = (args: string[]) => IvrWorkerProcess;

/** What demoIvr() tells about the running IVR. */
export interface DemoIvrInfo {
  /** The name the server gave it. */
  name: string;
  /** Its process id: never this process's. */
  pid: number;
}

export interface EmbeddedServerHostOptions {
  /** Port on 127.0.0.1; 0 picks a free one (read `url` once hosting). */
  port: number;
  log: Logger;
  /** The per-user key; the hosted server admits only clients that prove they know it. */
  key: Buffer;
  /** The file the key came from; the IVR worker reads it there (the key is never passed on). */
  keyFile: string;
  /** Run the demo IVR beside the hosted server (default true). */
  demoIvr?: boolean;
  /** How to start the IVR's process (default: child_process.fork of ivr-worker). */
  launchIvr?: IvrLauncher;
  /** Delays between restarts of a crashed IVR. */
  ivrRestartBackoff?: BackoffOptions;
}


/** How long the IVR may take to sign in before it is restarted. */
const IVR_READY_TIMEOUT_MS = 30_000;
/** stop() asks the IVR to stop, then ends it after this long. */
const IVR_STOP_GRACE_MS = 1500;
const IVR_KILL_WAIT_MS = 1000;
const DEFAULT_RESTART_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000, floorMs: 250 };
/** Consecutive failed starts after which the host stops restarting the IVR. */
const MAX_CONSECUTIVE_FAILURES = 6;
/** A worker that ran this long before dying was not failing to start: its restart starts the backoff over. */
const HEALTHY_RUN_MS = 60_000;

interface RunningWorker {
  process: IvrWorkerProcess;
  exited: Promise<void>;
  stopping: boolean;
}

export class EmbeddedServerHost {
  readonly port: number;
  private readonly log: Logger;
  private readonly options: EmbeddedServerHostOptions;
  private readonly launchIvr: IvrLauncher;
  private server: SignalingServer | null = null;
  private worker: RunningWorker | null = null;
  private ivr: Promise<DemoIvrInfo | null> | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;

  constructor(options: EmbeddedServerHostOptions) {
    this.options = options;
    this.port = options.port;
    this.log = options.log;
    this.launchIvr = options.launchIvr ?? forkIvrWorker;
  }

  get url(): string {
    return this.server?.url ?? websocketUrl(EMBEDDED_HOST, this.port);
  }

  get hosting(): boolean {
    return this.server !== null;
  }

  /** Host the server if nobody does. Never throws: failing to host just means we join. */
  async ensure(): Promise<void> {
    if (this.server || this.stopped) return;
    try {
      const serverOptions: SignalingServerOptions = { host: EMBEDDED_HOST, port: this.port, auth: { mode: 'local-key', key: this.options.key }, log: this.log };
      this.server = await startSignalingServer(serverOptions);
      this.log.info({ url: this.url }, 'hosting the signaling server');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE') this.log.warn({ err: error }, 'could not host the signaling server');
      return;
    }
    // Not awaited: the app's own connection must not wait for the IVR to sign in.
    if (this.options.demoIvr !== false) this.startIvr();
  }

  /** The demo IVR once it has signed in; null if it is not running (not hosting, turned off, failed, restarting). */
  async demoIvr(): Promise<DemoIvrInfo | null> {
    return (await this.ivr) ?? null;
  }

  /** Stops the IVR process (and waits until it is gone), then the server. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const server = this.server;
    this.server = null;
    this.ivr = null;
    await this.stopWorker();
    await server?.close();
  }

  private startIvr(): void {
    if (this.stopped || !this.server) return;
    const args = workerArgs({ serverUrl: this.server.url, name: EMBEDDED_IVR_NAME, keyFile: this.options.keyFile, parentPid: process.pid });
    let child: IvrWorkerProcess;
    try {
      child = this.launchIvr(args);
    } catch (error) {
      this.log.warn({ err: error }, 'could not start the demo IVR process; the softphone works without it');
      this.ivr = Promise.resolve(null);
      this.scheduleRestart(false);
      return;
    }
    const startedAt = performance.now();
    let settle!: (info: DemoIvrInfo | null) => void;
    const ready = new Promise<DemoIvrInfo | null>((resolve) => {
      settle = resolve;
    });
    let wasReady = false;
    let exitedResolve!: () => void;
    const running: RunningWorker = { process: child, exited: new Promise((resolve) => (exitedResolve = resolve)), stopping: false };
    this.worker = running;
    this.ivr = ready;

    const readyTimer = setTimeout(() => {
      this.log.warn({ pid: child.pid, timeoutMs: IVR_READY_TIMEOUT_MS }, 'the demo IVR did not sign in in time; ending it');
      child.kill();
    }, IVR_READY_TIMEOUT_MS);
    readyTimer.unref();

    child.onMessage((raw) => {
      const parsed = WorkerMessage.safeParse(raw);
      if (!parsed.success) {
        this.log.warn({ message: raw }, 'ignored a message from the demo IVR process');
        return;
      }
      const message = parsed.data;
      if (message.type === 'ready') {
        clearTimeout(readyTimer);
        wasReady = true;
        const info = { name: message.name, pid: child.pid ?? message.pid };
        this.log.info(info, 'the demo IVR is answering calls');
        settle(info);
      } else {
        this.log.warn({ pid: child.pid, reason: message.message }, 'the demo IVR could not start');
      }
    });
    child.onExit((code) => {
      clearTimeout(readyTimer);
      settle(null);
      exitedResolve();
      if (this.worker !== running) return;
      this.worker = null;
      this.ivr = Promise.resolve(null);
      if (running.stopping || this.stopped) return;
      const ranMs = performance.now() - startedAt;
      this.log.warn({ code, pid: child.pid, ranMs: Math.round(ranMs) }, 'the demo IVR process ended unexpectedly');
      this.scheduleRestart(wasReady && ranMs >= HEALTHY_RUN_MS);
    });
  }

  private scheduleRestart(healthyRun: boolean): void {
    if (this.stopped) return;
    this.failures = healthyRun ? 0 : this.failures + 1;
    if (this.failures >= MAX_CONSECUTIVE_FAILURES) {
      this.log.error({ failures: this.failures }, 'the demo IVR keeps failing; not starting it again until the app restarts');
      return;
    }
    const delayMs = backoffDelayMs(Math.max(0, this.failures - 1), this.options.ivrRestartBackoff ?? DEFAULT_RESTART_BACKOFF);
    this.log.info({ delayMs, failures: this.failures }, 'restarting the demo IVR');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.startIvr();
    }, delayMs);
  }

  /** Asks the worker to stop; ends it by pid if it does not. Resolves once it is gone. */
  private async stopWorker(): Promise<void> {
    const running = this.worker;
    if (!running) return;
    running.stopping = true;
    const { process: child, exited } = running;
    const gone = (ms: number) => Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, ms, false).unref())]);
    try {
      child.postMessage({ type: 'stop' });
    } catch (error) {
      this.log.debug({ err: error }, 'could not ask the demo IVR to stop');
    }
    if (await gone(IVR_STOP_GRACE_MS)) return;
    this.log.warn({ pid: child.pid }, 'the demo IVR did not stop when asked; ending it');
    child.kill();
    if (await gone(IVR_KILL_WAIT_MS)) return;
    const pid = child.pid;
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') this.log.error({ err: error, pid }, 'could not end the demo IVR process');
      }
    }
    if (!(await gone(IVR_KILL_WAIT_MS))) this.log.error({ pid }, 'the demo IVR process is still there after SIGKILL');
  }
}

/**
 * Where the IVR worker is: the built ivr-worker.cjs beside the bundle that
 * contains this code, or, running from TypeScript source, ivr/ivr-worker.ts
 * (then loaded through tsx).
 */
export function ivrWorkerEntry(): { file: string; execArgv: string[] } {
  const here = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
  const built = path.join(here, 'ivr-worker.cjs');
  if (existsSync(built)) return { file: built, execArgv: [] };
  const source = path.resolve(here, '..', '..', 'ivr', 'ivr-worker.ts');
  const tsx = createRequire(path.join(here, 'embedded-server-host.js')).resolve('tsx');
  return { file: source, execArgv: ['--import', pathToFileURL(tsx).href] };
}

/** The default launcher, for plain Node (tests, `npm run` tools): child_process.fork with an IPC channel. */
export const forkIvrWorker: IvrLauncher = (args) => {
  const entry = ivrWorkerEntry();
  const child = fork(entry.file, args, { execArgv: entry.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
  let exited = false;
  const exitListeners: Array<(code: number | null) => void> = [];
  const onExit = (code: number | null) => {
    if (exited) return;
    exited = true;
    for (const listener of exitListeners) listener(code);
  };
  child.once('exit', (code) => onExit(code));
  // A fork that cannot spawn reports 'error' and never 'exit'; other errors (a send racing the exit) change nothing.
  child.on('error', () => {
    if (child.pid === undefined) onExit(null);
  });
  return {
    get pid() {
      return child.pid;
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => {
      if (exited) listener(child.exitCode);
      else exitListeners.push(listener);
    },
    postMessage: (message) => {
      if (child.connected) child.send(message);
    },
    kill: () => {
      child.kill('SIGKILL');
    },
  };
};
