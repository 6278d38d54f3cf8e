/**
 * Child processes for the server benchmark: started in their own process
 * group with a raised open-file limit, stopped by group id, never left behind
 * (an exit or signal handler kills every group still alive), and looked at
 * through /proc (peak RSS, CPU time, who holds a listening socket).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** Raise the fd limit as far as allowed (root may go past the hard limit), then become the command. */
const WITH_FD_LIMIT = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"';

export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  /** The last few KB of stderr, for error messages. */
  stderrTail(): string;
  /** Called with every stdout line (stdout is always read, so a chatty child never blocks). */
  lineListeners: Set<(line: string) => void>;
}

const alive = new Set<Child>();

function killGroup(child: Child, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** SIGKILL every group still alive; safe to call from an `exit` handler. */
export function killAll(): void {
  for (const child of alive) killGroup(child, 'SIGKILL');
  alive.clear();
}

/**
 * Spawns `argv` (or, with `shell`, a shell command line followed by `argv`)
 * under `sh` with the fd limit raised, in a process group of its own.
 */
export function startChild(
  name: string,
  argv: string[],
  options: { shell?: string; ipc?: boolean; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Child {
  const script = options.shell === undefined ? WITH_FD_LIMIT : WITH_FD_LIMIT.replace('exec "$@"', `exec ${options.shell} "$@"`);
  const proc = spawn('sh', ['-c', script, 'sh', ...argv], {
    detached: true,
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
  });
  if (proc.pid === undefined) throw new Error(`Could not start ${name}`);
  let tail = '';
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (text: string) => {
    tail = (tail + text).slice(-4096);
  });
  const lineListeners = new Set<(line: string) => void>();
  let partial = '';
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop()!.slice(-4096);
    for (const line of lines) for (const listener of lineListeners) listener(line);
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const child: Child = { name, process: proc, pid: proc.pid, exited, stderrTail: () => tail.trim(), lineListeners };
  alive.add(child);
  void exited.then(() => alive.delete(child));
  return child;
}

/** SIGTERM the child's group, SIGKILL it if it has not exited after `graceMs`. */
export async function stopChild(child: Child, graceMs = 3000): Promise<void> {
  if (!alive.has(child)) return;
  killGroup(child, 'SIGTERM');
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), graceMs).unref());
  if ((await Promise.race([child.exited, timer])) === 'late') {
    killGroup(child, 'SIGKILL');
    await child.exited;
  }
  alive.delete(child);
}

/** Resolves with the first stdout line matching `pattern`; rejects if the child exits or `timeoutMs` passes first. */
export function waitForLine(child: Child, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.lineListeners.delete(listener);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${child.name} printed no line matching ${pattern} within ${timeoutMs} ms. ${child.stderrTail()}`));
    }, timeoutMs);
    const listener = (line: string) => {
      const match = line.match(pattern);
      if (!match) return;
      done();
      resolve(match);
    };
    child.lineListeners.add(listener);
    void child.exited.then((code) => {
      done();
      reject(new Error(`${child.name} exited with ${code}: ${child.stderrTail() || '(no stderr)'}`));
    });
  });
}

/** A /proc/PID/status field in kB (VmHWM, VmRSS), or NaN. */
export function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** User + system CPU time of a process in ms (from /proc/PID/stat), or NaN. */
export function cpuTimeMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 3, so utime (14) and stime (15) sit at 11 and 12 here.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU time the whole machine spent busy (all CPUs, every state but idle and iowait) in ms, from /proc/stat. */
export function machineBusyMs(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return ((user + nice + system + irq + softirq + steal) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

function processGroup(pid: string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return -1;
  }
}

/**
 * The processes of `child`'s group that hold the socket listening on `port`:
 * the server itself even when the command was a wrapper (npx, tsx's CLI).
 */
export function listeningPids(child: Child, port: number): number[] {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== '0A') continue;
      if (parseInt(fields[1]!.split(':')[1]!, 16) === port) inodes.add(`socket:[${fields[9]}]`);
    }
  }
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    if (processGroup(pid) !== child.pid) continue;
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    if (fds.some((fd) => inodes.has(safeReadlink(`/proc/${pid}/fd/${fd}`)))) pids.push(Number(pid));
  }
  return pids.length > 0 ? pids : [child.pid];
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}
