/**
 * Runs the signaling server on its own: `npm run server -- --host 127.0.0.1 --port 8765`.
 *
 * Stdout gets exactly one line, the URL, once the server listens, so scripts
 * can wait for it; logs go to stderr as JSON lines.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '../common/logger.ts';
import { startSignalingServer, type SignalingServer } from './signaling-server.ts';

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 8765;

const USAGE = `Usage: npm run server -- [--host ${DEFAULT_HOST}] [--port ${DEFAULT_PORT}]
  --host  address to listen on (default ${DEFAULT_HOST}, this machine only)
  --port  TCP port, 0 for any free one (default ${DEFAULT_PORT})`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port > 65535) {
    fail(`Invalid port "${text}": use a whole number from 0 to 65535.\n${USAGE}`);
  }
  return port;
}

function readArguments(): { host: string; port: number } {
  try {
    const { values } = parseArgs({
      options: {
        host: { type: 'string', default: DEFAULT_HOST },
        port: { type: 'string', default: String(DEFAULT_PORT) },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    return { host: values.host, port: parsePort(values.port) };
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
}

async function main(): Promise<void> {
  const { host, port } = readArguments();
  const log = createLogger('signaling-server');
  let server: SignalingServer;
  try {
    server = await startSignalingServer({ host, port, log });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail(`Port ${port} on ${host} is already in use (is another signaling server running?).`);
    if (code === 'EADDRNOTAVAIL') fail(`Cannot listen on ${host}: this machine has no such address.`);
    if (code === 'EACCES') fail(`Not allowed to listen on port ${port} (ports below 1024 need extra rights).`);
    fail(`Could not start the signaling server: ${(error as Error).message}`);
  }

  process.stdout.write(`Signaling server listening on ${server.url}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second Ctrl+C means "now", even if clean shutdown hangs.
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'Shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
