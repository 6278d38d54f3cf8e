/**
 * Command-line options of the app:
 *   --profile NAME  keep this instance's data in <appData>/Softphone/profiles/NAME,
 *                   so several instances (Alice and Bob) can run side by side
 *   --server URL    use this signaling server instead of the embedded/automatic one
 *   --port N        port of the embedded signaling server (default 8765)
 *   --hidden        start in the tray without a window (what a start at login passes; read by desktop-presence.ts)
 *   tel:…, callto:…, sip:…  a clicked link, handed over by the OS (read by call-links.ts)
 * Chromium's and Playwright's own switches may be on the same command line,
 * so unknown options are ignored rather than refused.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const DEFAULT_EMBEDDED_PORT = 8765;

// A profile name becomes a folder name: keep it to characters that are safe
// on every file system and cannot climb out of the profiles folder.
const ProfileName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit');

const ServerUrl = z.url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// URL' });

const Port = z.coerce.number().int().min(1).max(65535);

export interface LaunchOptions {
  profile: string | null;
  serverUrl: string | null;
  embeddedPort: number;
}

function optionValue(values: Record<string, string | boolean | undefined>, name: string): string | undefined {
  const value = values[name];
  if (value === true) throw new Error(`--${name} needs a value`);
  return value === false ? undefined : value;
}

function check<T>(schema: z.ZodType<T>, value: string, option: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`Invalid --${option} "${value}": ${result.error.issues[0]?.message}`);
  return result.data;
}

/** Throws an Error whose message is fit to show the user when an option is invalid. */
export function parseLaunchOptions(argv: readonly string[]): LaunchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      profile: { type: 'string' },
      server: { type: 'string' },
      port: { type: 'string' },
    },
    strict: false,
    allowPositionals: true,
  });
  const profile = optionValue(values, 'profile');
  const server = optionValue(values, 'server');
  const port = optionValue(values, 'port');
  return {
    profile: profile === undefined ? null : check(ProfileName, profile, 'profile'),
    serverUrl: server === undefined ? null : check(ServerUrl, server, 'server'),
    embeddedPort: port === undefined ? DEFAULT_EMBEDDED_PORT : check(Port, port, 'port'),
  };
}
