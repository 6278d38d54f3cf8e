/**
 * The demo IVR in a process of its own, started by the app instance that
 * hosts the embedded server (main/core/embedded-server-host.ts), so whatever
 * callers make the IVR do (werift, Opus, tone detection) never runs on the
 * app's main process.
 *
 * It reads the per-user key from the key file it is given, signs in with it
 * as a service, tells its parent `ready`, and exits when the parent says
 * `stop`, closes the channel, or dies. Protocol: ivr/ivr-worker-protocol.ts.
 * Built as dist/main/ivr-worker.cjs beside the main bundle.
 */
import { createLogger } from '../common/logger.ts';
import { loadOrCreateLocalKey } from '../common/local-key.ts';
import { startDemoIvr, type DemoIvr } from './demo-ivr.ts';
import { HostMessage, parseWorkerArgs, type WorkerMessage } from './ivr-worker-protocol.ts';

/** How long stopping (hanging up, signing out) may take before the worker exits anyway: less than the host waits before ending it. */
const STOP_GRACE_MS = 1200;
const PARENT_CHECK_INTERVAL_MS = 1000;

/** Electron's utility-process port, reduced to what is used here. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

interface ParentChannel {
  send(message: WorkerMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called when the channel to the parent closes (child_process only; a utility process has no such event). */
  onClosed(listener: () => void): void;
}

function parentChannel(): ParentChannel | null {
  const parentPort = (process as { parentPort?: ParentPort | null }).parentPort;
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      onClosed: () => {},
    };
  }
  if (process.send) {
    return {
      send: (message) => {
        if (process.connected) process.send!(message);
      },
      onMessage: (listener) => process.on('message', listener),
      onClosed: (listener) => process.once('disconnect', listener),
    };
  }
  return null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which cannot be our parent any more.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH' && (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

function main(): void {
  const channel = parentChannel();
  if (!channel) {
    console.error('ivr-worker runs under a host (EmbeddedServerHost); to run the IVR by hand use `npm run ivr`');
    process.exit(2);
  }
  const log = createLogger('ivr-worker');
  let ivr: DemoIvr | null = null;
  let stopping = false;

  const shutdown = (why: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ why }, 'demo IVR worker stopping');
    const forced = setTimeout(() => process.exit(code), STOP_GRACE_MS);
    forced.unref();
    void (ivr?.stop() ?? Promise.resolve())
      .catch((error: unknown) => log.warn({ err: error }, 'the demo IVR did not stop cleanly'))
      .finally(() => process.exit(code));
  };

  // Listen before anything async, so an early `stop` is not missed.
  channel.onMessage((raw) => {
    const message = HostMessage.safeParse(raw);
    if (!message.success) {
      log.warn({ message: raw }, 'ignored a message from the host');
      return;
    }
    if (message.data.type === 'stop') shutdown('the host asked it to stop');
  });
  channel.onClosed(() => shutdown('the channel to the host closed'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));

  let config;
  try {
    config = parseWorkerArgs(process.argv);
  } catch (error) {
    channel.send({ type: 'failed', message: (error as Error).message });
    process.exit(2);
  }

  const { parentPid } = config;
  if (parentPid !== undefined) {
    // A utility process gets no 'disconnect'; and an orphan must not keep answering calls.
    const watch = setInterval(() => {
      if (!isAlive(parentPid)) shutdown('the host process is gone');
    }, PARENT_CHECK_INTERVAL_MS);
    watch.unref();
  }

  void (async () => {
    try {
      const localKey = await loadOrCreateLocalKey(config.keyFile);
      const started = await startDemoIvr({
        serverUrl: config.serverUrl,
        name: config.name,
        promptsDir: config.promptsDir,
        maxCalls: config.maxCalls,
        auth: { localKey, service: true },
        log,
      });
      ivr = started;
      if (stopping) {
        await started.stop();
        return;
      }
      channel.send({ type: 'ready', name: started.name, pid: process.pid });
    } catch (error) {
      log.error({ err: error }, 'the demo IVR could not start');
      channel.send({ type: 'failed', message: (error as Error).message });
      // Let the message leave before the process does.
      setTimeout(() => process.exit(1), 50);
    }
  })();
}

main();
