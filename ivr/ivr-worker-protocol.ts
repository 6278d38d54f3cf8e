/**
 * How a host process and the demo IVR worker (ivr/ivr-worker.ts) talk. Kept
 * apart from the worker so the host can import it without loading werift.
 *
 * Start: the host forks the worker (child_process.fork in plain Node,
 * Electron's utilityProcess.fork in the app) with WORKER flags as arguments:
 *   --server URL --name NAME --key-file FILE [--prompts DIR] [--max-calls N] [--parent-pid PID]
 * The key itself never travels: the worker reads the key file.
 *
 * Messages, over the IPC channel (process.send) or Electron's parentPort:
 *   worker → host  { type: 'ready', name, pid }   signed in; `name` is the name the server gave it
 *                  { type: 'failed', message }    could not start; it exits next
 *   host → worker  { type: 'stop' }              hang up every call, sign out, exit 0
 * The worker also exits when its IPC channel closes or the parent pid is gone,
 * so it never outlives the app.
 */
import { z } from 'zod';

export const WorkerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), name: z.string(), pid: z.number().int() }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type WorkerMessage = z.infer<typeof WorkerMessage>;

export const HostMessage = z.discriminatedUnion('type', [z.object({ type: z.literal('stop') })]);
export type HostMessage = z.infer<typeof HostMessage>;

export interface WorkerConfig {
  serverUrl: string;
  name: string;
  keyFile: string;
  promptsDir?: string;
  maxCalls?: number;
  /** The worker exits when no process has this pid any more. */
  parentPid?: number;
}

const FLAGS = {
  '--server': 'serverUrl',
  '--name': 'name',
  '--key-file': 'keyFile',
  '--prompts': 'promptsDir',
  '--max-calls': 'maxCalls',
  '--parent-pid': 'parentPid',
} as const satisfies Record<string, keyof WorkerConfig>;

export function workerArgs(config: WorkerConfig): string[] {
  const args: string[] = [];
  for (const [flag, key] of Object.entries(FLAGS) as Array<[keyof typeof FLAGS, keyof WorkerConfig]>) {
    const value = config[key];
    if (value !== undefined) args.push(flag, String(value));
  }
  return args;
}

/**
 * Reads the flags from anywhere in `argv`: Node puts the node binary and the
 * script first, Electron's utility process may put other things there.
 */
export function parseWorkerArgs(argv: readonly string[]): WorkerConfig {
  const found: Partial<Record<keyof WorkerConfig, string>> = {};
  for (let i = 0; i < argv.length - 1; i++) {
    const key = FLAGS[argv[i] as keyof typeof FLAGS];
    if (key) found[key] = argv[++i];
  }
  const { serverUrl, name, keyFile } = found;
  if (!serverUrl || !name || !keyFile) throw new Error('the IVR worker needs --server, --name and --key-file');
  const number = (text: string | undefined, flag: string) => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} takes a whole number, not "${text}"`);
    return value;
  };
  return {
    serverUrl,
    name,
    keyFile,
    ...(found.promptsDir ? { promptsDir: found.promptsDir } : {}),
    ...(found.maxCalls ? { maxCalls: number(found.maxCalls, '--max-calls') } : {}),
    ...(found.parentPid ? { parentPid: number(found.parentPid, '--parent-pid') } : {}),
  };
}
