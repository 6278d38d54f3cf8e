/**
 * Runs the signaling server on its own (built to dist/server/cli.mjs):
 *   node --max-semi-space-size=8 dist/server/cli.mjs --host 0.0.0.0 --port 8443 --tls-cert cert.pem --tls-key key.pem --accounts accounts.json
 *   node dist/server/cli.mjs user add alice --accounts accounts.json
 *
 * Stdout gets exactly one line, the URL, once the server listens, so scripts
 * can wait for it; logs go to stderr as JSON lines. SIGTERM or SIGINT closes
 * every client with ServiceRestart and exits 0.
 */
// First: it tunes V8 before the rest allocates anything.
import './v8-tuning.ts';
import { parseArgs } from 'node:util';
import { createLogger } from '../common/logger.ts';
import {
  DEFAULT_CLI_HOST,
  DEFAULT_CLI_MAX_CONNECTIONS_PER_IP,
  DEFAULT_CLI_PORT,
  mergeSettings,
  optionsFromSettings,
  readConfigFile,
  validateSettings,
  type ServerSettings,
} from './server-config.ts';
import { startSignalingServer, type SignalingServer } from './signaling-server.ts';
import { USER_USAGE, runUserCommand } from './user-command.ts';

const USAGE = `Usage: node --max-semi-space-size=8 dist/server/cli.mjs [options]     (or: npm run server -- [options])
  --config FILE                 JSON file with these settings (camelCase names); flags win
  --host ADDRESS                address to listen on (default ${DEFAULT_CLI_HOST}, this machine only)
  --port N                      TCP port, 0 for any free one (default ${DEFAULT_CLI_PORT})
  --tls-cert FILE --tls-key FILE   serve wss:// with this PEM certificate and key
  --accounts FILE               only accounts in FILE may sign in (see "user" below)
  --allow-guests                with --accounts: others may sign in under names no account owns
  --allow-origin URL            a web page origin that may connect (repeatable); others get 403
  --rate-limit N                messages per second per client (0 = no limit; default 50)
  --max-connections-per-ip N    connections one address may hold (0 = no cap; default ${DEFAULT_CLI_MAX_CONNECTIONS_PER_IP})
  --trust-proxy                 take client addresses from X-Forwarded-For (behind your proxy only)
  --stun URL, --turn URL        ICE servers for clients (repeatable)
  --turn-secret-file FILE       coturn's static-auth-secret: clients get TURN REST credentials
  --turn-ttl SECONDS            how long TURN credentials last (default 86400)
  --session-secret-file FILE    secret for session tokens, created (mode 0600) if missing;
                                without it names do not survive a restart
  --redis URL                   share users with other server processes through Redis

${USER_USAGE}`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function wholeNumber(flag: string, text: string, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value > max) {
    if (flag === 'port') fail(`Invalid port "${text}": use a whole number from 0 to 65535.\n\n${USAGE}`);
    fail(`Invalid --${flag} "${text}": use a whole number${max < Number.MAX_SAFE_INTEGER ? ` up to ${max}` : ''}.`);
  }
  return value;
}

function readArguments() {
  try {
    return parseArgs({
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        accounts: { type: 'string' },
        'allow-guests': { type: 'boolean' },
        'allow-origin': { type: 'string', multiple: true },
        'rate-limit': { type: 'string' },
        'max-connections-per-ip': { type: 'string' },
        'trust-proxy': { type: 'boolean' },
        stun: { type: 'string', multiple: true },
        turn: { type: 'string', multiple: true },
        'turn-secret-file': { type: 'string' },
        'turn-ttl': { type: 'string' },
        'session-secret-file': { type: 'string' },
        redis: { type: 'string' },
        service: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`);
  }
}

function settingsFromFlags(values: ReturnType<typeof readArguments>['values']): ServerSettings {
  const flags: Record<string, unknown> = {
    host: values.host,
    port: values.port === undefined ? undefined : wholeNumber('port', values.port, 65535),
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
    accounts: values.accounts,
    allowGuests: values['allow-guests'],
    allowOrigin: values['allow-origin'],
    rateLimit: values['rate-limit'] === undefined ? undefined : wholeNumber('rate-limit', values['rate-limit']),
    maxConnectionsPerIp: values['max-connections-per-ip'] === undefined ? undefined : wholeNumber('max-connections-per-ip', values['max-connections-per-ip']),
    trustProxy: values['trust-proxy'],
    stun: values.stun,
    turn: values.turn,
    turnSecretFile: values['turn-secret-file'],
    turnTtl: values['turn-ttl'] === undefined ? undefined : wholeNumber('turn-ttl', values['turn-ttl']),
    sessionSecretFile: values['session-secret-file'],
    redis: values.redis,
  };
  for (const key of Object.keys(flags)) if (flags[key] === undefined) delete flags[key];
  return validateSettings(flags, 'the command line');
}

async function runServer(values: ReturnType<typeof readArguments>['values']): Promise<void> {
  const log = createLogger('signaling-server');
  let server: SignalingServer;
  let settings: ServerSettings;
  try {
    const fromFlags = settingsFromFlags(values);
    settings = values.config ? mergeSettings(await readConfigFile(values.config), fromFlags) : fromFlags;
  } catch (error) {
    return fail((error as Error).message);
  }
  const host = settings.host ?? DEFAULT_CLI_HOST;
  const port = settings.port ?? DEFAULT_CLI_PORT;
  try {
    server = await startSignalingServer(await optionsFromSettings(settings, log));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail(`Port ${port} on ${host} is already in use (is another signaling server running?).`);
    if (code === 'EADDRNOTAVAIL') fail(`Cannot listen on ${host}: this machine has no such address.`);
    if (code === 'EACCES') fail(`Not allowed to listen on port ${port} (ports below 1024 need extra rights).`);
    fail(`Could not start the signaling server: ${(error as Error).message}`);
  }

  process.stdout.write(`${server.url}\n`);

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

async function main(): Promise<void> {
  const { values, positionals } = readArguments();
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (positionals[0] === 'user') {
    const [, action, name, ...extra] = positionals;
    process.exit(await runUserCommand({ action, name, accountsFile: values.accounts, service: values.service ?? false, extra }));
  }
  if (positionals.length > 0) fail(`Unexpected argument "${positionals[0]}".\n\n${USAGE}`);
  if (values.service) fail('--service belongs to "user add".');
  await runServer(values);
}

await main();
