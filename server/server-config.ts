/**
 * The deployed server's settings: a JSON config file (`--config`) and the
 * command-line flags, which take precedence, validated with zod into one
 * ServerSettings; then the files they name (TLS, accounts, secrets) are read
 * into the options startSignalingServer takes.
 *
 * The config file uses the flags' names in camelCase, e.g.
 *   { "host": "0.0.0.0", "port": 8443, "tlsCert": "cert.pem", "tlsKey": "key.pem",
 *     "accounts": "accounts.json", "allowOrigin": ["https://app.example"], "rateLimit": 50,
 *     "turn": ["turn:turn.example:3478"], "turnSecretFile": "turn-secret" }
 * Relative paths in it are relative to the file.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../common/logger.ts';
import { AccountStore } from './accounts.ts';
import { loadOrCreateSessionSecret, readSecretFile } from './secret-files.ts';
import type { SignalingServerOptions } from './signaling-server.ts';
import { DEFAULT_RATE_LIMIT, type RateLimit } from './rate-limit.ts';

export const DEFAULT_CLI_HOST = '127.0.0.1';
export const DEFAULT_CLI_PORT = 8765;
/** A deployed server caps connections per address unless told otherwise (the library default is no cap). */
export const DEFAULT_CLI_MAX_CONNECTIONS_PER_IP = 50;

const Port = z.number().int().min(0, 'a port is 0 to 65535').max(65535, 'a port is 0 to 65535');
const NonNegativeInt = z.number().int().min(0);
const Url = (schemes: string[]) =>
  z.string().refine((text) => schemes.some((scheme) => text.startsWith(`${scheme}:`)), {
    message: `must start with ${schemes.map((s) => `${s}:`).join(' or ')}`,
  });

const RateLimitSetting = z.union([
  z.number().min(0),
  z.null(),
  z.object({ messagesPerSecond: z.number().positive(), burst: z.number().int().min(1) }).strict(),
]);

/** Everything a config file may hold; the same settings as the flags. */
export const ServerSettings = z
  .object({
    host: z.string().min(1),
    port: Port,
    tlsCert: z.string().min(1),
    tlsKey: z.string().min(1),
    accounts: z.string().min(1),
    allowGuests: z.boolean(),
    allowOrigin: z.array(z.string().refine((origin) => /^https?:\/\/[^/]+$/.test(origin), 'an origin is scheme://host[:port], no path')),
    /** Messages per second per client, 0 or null for no limit, or {messagesPerSecond, burst}. */
    rateLimit: RateLimitSetting,
    maxConnectionsPerIp: NonNegativeInt,
    trustProxy: z.boolean(),
    stun: z.array(Url(['stun', 'stuns'])),
    turn: z.array(Url(['turn', 'turns'])),
    turnSecretFile: z.string().min(1),
    turnTtl: z.number().int().min(2),
    sessionSecretFile: z.string().min(1),
    redis: Url(['redis', 'rediss']),
    signInTimeoutMs: z.number().int().positive(),
    maxQueuedBytes: z.number().int().min(1024),
    heartbeatIntervalMs: z.number().int().positive(),
  })
  .partial()
  .strict();
export type ServerSettings = z.infer<typeof ServerSettings>;

const PATH_SETTINGS = ['tlsCert', 'tlsKey', 'accounts', 'turnSecretFile', 'sessionSecretFile'] as const;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.join('.') || '(top level)';
      if (issue.code === 'unrecognized_keys') return `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      return `${where}: ${issue.message}`;
    })
    .join('\n  ');
}

/** Validates settings from the command line (or anywhere); throws with every problem listed. */
export function validateSettings(raw: unknown, source: string): ServerSettings {
  const parsed = ServerSettings.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid settings in ${source}:\n  ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** Reads and validates a config file; relative paths in it become relative to its folder. */
export async function readConfigFile(file: string): Promise<ServerSettings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the config file ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`The config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`The config file ${file} must hold a JSON object`);
  const settings = validateSettings(raw, `the config file ${file}`);
  const folder = path.dirname(path.resolve(file));
  for (const key of PATH_SETTINGS) {
    const value = settings[key];
    if (value !== undefined) settings[key] = path.resolve(folder, value);
  }
  return settings;
}

/** The config file's settings with the command line's on top (lists from the command line replace the file's). */
export function mergeSettings(fromFile: ServerSettings, fromFlags: ServerSettings): ServerSettings {
  const merged: ServerSettings = { ...fromFile };
  for (const [key, value] of Object.entries(fromFlags) as [keyof ServerSettings, unknown][]) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

function rateLimitFrom(setting: ServerSettings['rateLimit']): RateLimit | null | undefined {
  if (setting === undefined) return undefined;
  if (setting === null || setting === 0) return null;
  if (typeof setting === 'number') return { messagesPerSecond: setting, burst: Math.max(DEFAULT_RATE_LIMIT.burst, Math.ceil(setting * 4)) };
  return setting;
}

async function readPem(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new Error(`Cannot read the TLS ${what} ${file}: ${(error as Error).message}`);
  }
}

/** Reads the files the settings name and returns startSignalingServer's options. Throws with a clear message. */
export async function optionsFromSettings(settings: ServerSettings, log: Logger): Promise<SignalingServerOptions> {
  const warn = (message: string) => log.warn(message);
  if ((settings.tlsCert === undefined) !== (settings.tlsKey === undefined)) {
    throw new Error('TLS needs both --tls-cert and --tls-key');
  }
  if (settings.allowGuests && settings.accounts === undefined) throw new Error('--allow-guests only makes sense with --accounts');
  if (settings.turnSecretFile !== undefined && !(settings.turn?.length)) throw new Error('--turn-secret-file needs at least one --turn URL');

  const options: SignalingServerOptions = {
    host: settings.host ?? DEFAULT_CLI_HOST,
    port: settings.port ?? DEFAULT_CLI_PORT,
    allowedOrigins: settings.allowOrigin,
    maxConnectionsPerIp: settings.maxConnectionsPerIp ?? DEFAULT_CLI_MAX_CONNECTIONS_PER_IP,
    trustProxy: settings.trustProxy,
    signInTimeoutMs: settings.signInTimeoutMs,
    maxQueuedBytes: settings.maxQueuedBytes,
    heartbeatIntervalMs: settings.heartbeatIntervalMs,
    redis: settings.redis,
    log,
  };
  const rateLimit = rateLimitFrom(settings.rateLimit);
  if (rateLimit !== undefined) options.rateLimit = rateLimit;
  if (settings.tlsCert && settings.tlsKey) {
    options.tls = { cert: await readPem(settings.tlsCert, 'certificate'), key: await readPem(settings.tlsKey, 'key') };
  }
  if (settings.accounts) {
    const accounts = await AccountStore.open(settings.accounts);
    if (accounts.list().length === 0 && !settings.allowGuests) {
      warn(`The accounts file ${settings.accounts} has no accounts yet: nobody can sign in. Add one with "user add NAME --accounts ${settings.accounts}"`);
    }
    options.auth = { mode: 'accounts', accounts, allowGuests: settings.allowGuests ?? false };
  }
  if (settings.sessionSecretFile) options.sessionSecret = await loadOrCreateSessionSecret(settings.sessionSecretFile, warn);
  else warn('No --session-secret-file: a random session secret is used, so names are not kept across restarts of this server');
  if (settings.stun?.length || settings.turn?.length) {
    options.ice = {
      stunUrls: settings.stun,
      turnUrls: settings.turn,
      turnSecret: settings.turnSecretFile ? await readSecretFile(settings.turnSecretFile, 'TURN secret file', warn) : undefined,
      turnTtlSeconds: settings.turnTtl,
    };
  }
  return options;
}
