#!/usr/bin/env node
/**
 * Runs a command with an X display, for the one headed browser test (a
 * screenshot of the devices panel a person can look at). On Linux without
 * DISPLAY it wraps the command in `xvfb-run -a` (apt package xvfb); with a
 * display, or on other systems, the command runs as is. Without either, the
 * headed test fails and says why.
 */
import { spawnSync } from 'node:child_process';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: with-display.mjs COMMAND [ARGS...]');
  process.exit(2);
}

function run(argv) {
  const result = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit' });
  if (result.error) {
    console.error(`with-display: could not run ${argv[0]}: ${result.error.message}`);
    process.exit(127);
  }
  process.exit(result.status ?? 1);
}

const needsDisplay = process.platform === 'linux' && !process.env.DISPLAY;
if (needsDisplay && spawnSync('xvfb-run', ['--help'], { stdio: 'ignore' }).error === undefined) {
  run(['xvfb-run', '-a', '--server-args=-screen 0 1280x1024x24', ...command]);
} else {
  if (needsDisplay) console.warn('with-display: no DISPLAY and no xvfb-run (apt install xvfb); the headed screenshot test will fail.');
  run(command);
}
