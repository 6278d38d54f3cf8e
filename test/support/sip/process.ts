/**
 * One child process of the SIP test chain (kamailio, rtpengine, baresip):
 * started with its stdout and stderr going straight into a log file (so the
 * log survives even if the test process dies first), stopped by its pid, and
 * able to say what it logged last when something goes wrong.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { isAlive } from '../process-alive.ts';

export interface ChainProcess {
  name: string;
  pid: number;
  logPath: string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
  running(): boolean;
  /** The last lines of the log file, for error messages. */
  logTail(lines?: number): string;
  /** SIGTERM by pid, SIGKILL if it has not gone after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function startProcess(name: string, command: string, args: string[], logPath: string, cwd?: string): ChainProcess {
  const fd = openSync(logPath, 'a');
  // A process group of its own: kamailio forks workers, and a stop that has
  // to escalate to SIGKILL must reach those too (by this group's id).
  const child = spawn(command, args, { cwd, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  let gone = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      gone = true;
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (error) => {
      gone = true;
      resolve(error.message);
    });
  });
  const pid = child.pid ?? -1;
  const logTail = (lines = 40) => tailOf(logPath, lines);
  return {
    name,
    pid,
    logPath,
    exited,
    running: () => !gone,
    logTail,
    async stop(graceMs = 5000) {
      if (gone || pid < 0) return;
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // Workers of a forking server (kamailio) may outlive their parent by a
      // moment; their sockets must be closed before a restart binds again.
      for (let i = 0; i < 100 && isAlive(-pid); i++) await sleep(50);
      if (isAlive(-pid)) signalGroup(pid, 'SIGKILL');
    },
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export function tailOf(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` until it returns true. Fails early when the process died, and
 * with the tail of its log either way, so a broken config explains itself.
 */
export async function waitUntilReady(
  proc: ChainProcess,
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!proc.running()) throw new Error(`${proc.name} exited before ${what}. Log (${proc.logPath}):\n${proc.logTail()}`);
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`${proc.name}: no ${what} within ${timeoutMs} ms. Log (${proc.logPath}):\n${proc.logTail()}`);
}
