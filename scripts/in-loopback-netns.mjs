#!/usr/bin/env node
/**
 * Runs a command inside a network namespace whose only interface is loopback,
 * so WebRTC in tests and benchmarks can only ever reach 127.0.0.1 (Chromium
 * would otherwise try ICE on every interface the machine has).
 *
 * Linux as root: `unshare -n`; Linux as a user: `unshare -rn` where user
 * namespaces are allowed. Elsewhere, or when neither works, the command runs
 * as is, with a note saying so.
 */
import { spawnSync } from 'node:child_process';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: in-loopback-netns.mjs COMMAND [ARGS...]');
  process.exit(2);
}

const env = { ...process.env, SOFTPHONE_IN_NETNS: '1' };
// Inside, lo starts down: bring it up, then become the command.
const inside = ['sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...command];

function runs(args) {
  return spawnSync('unshare', [...args, 'true'], { stdio: 'ignore' }).status === 0;
}

function run(argv) {
  const result = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env });
  if (result.error) {
    console.error(`in-loopback-netns: could not run ${argv[0]}: ${result.error.message}`);
    process.exit(127);
  }
  process.exit(result.status ?? 1);
}

if (process.env.SOFTPHONE_IN_NETNS === '1' || process.platform !== 'linux') {
  run(command);
} else if (runs(['-n'])) {
  run(['unshare', '-n', ...inside]);
} else if (runs(['-rn'])) {
  run(['unshare', '-rn', ...inside]);
} else {
  console.warn('in-loopback-netns: cannot create a network namespace here; running without isolation.');
  run(command);
}
