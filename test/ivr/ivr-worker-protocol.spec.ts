import { expect, test } from '@playwright/test';
import { HostMessage, parseWorkerArgs, WorkerMessage, workerArgs } from '../../ivr/ivr-worker-protocol.ts';

test('the host writes flags the worker reads back, wherever they sit in argv', () => {
  const config = { serverUrl: 'ws://127.0.0.1:8765', name: 'Demo IVR', keyFile: '/home/me/.config/Softphone/local-key', maxCalls: 3, parentPid: 4242 };
  const args = workerArgs(config);
  expect(args).toEqual(['--server', 'ws://127.0.0.1:8765', '--name', 'Demo IVR', '--key-file', '/home/me/.config/Softphone/local-key', '--max-calls', '3', '--parent-pid', '4242']);
  expect(parseWorkerArgs(['/usr/bin/node', '/app/dist/main/ivr-worker.cjs', ...args])).toEqual(config);
  expect(parseWorkerArgs(['--type=utility', ...args, '--something-else'])).toEqual(config);
  expect(parseWorkerArgs(workerArgs({ serverUrl: 'ws://x', name: 'n', keyFile: 'k', promptsDir: '/p' }))).toEqual({ serverUrl: 'ws://x', name: 'n', keyFile: 'k', promptsDir: '/p' });
});

test('missing or bad flags are an error, not a guess', () => {
  expect(() => parseWorkerArgs(['--server', 'ws://x', '--name', 'n'])).toThrow(/--key-file/);
  expect(() => parseWorkerArgs(['--server', 'ws://x', '--name', 'n', '--key-file', 'k', '--max-calls', 'lots'])).toThrow(/--max-calls/);
});

test('messages are validated both ways', () => {
  expect(WorkerMessage.safeParse({ type: 'ready', name: 'Demo IVR', pid: 12 }).success).toBe(true);
  expect(WorkerMessage.safeParse({ type: 'ready', name: 'Demo IVR' }).success).toBe(false);
  expect(WorkerMessage.safeParse({ type: 'failed', message: 'no server' }).success).toBe(true);
  expect(HostMessage.safeParse({ type: 'stop' }).success).toBe(true);
  expect(HostMessage.safeParse({ type: 'exec', command: 'rm' }).success).toBe(false);
});
