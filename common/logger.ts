/**
 * The one way every process of the project logs: JSON lines on stderr, so
 * stdout stays free for what a program prints on purpose (e.g. the server's URL).
 */
import pino from 'pino';

export type Logger = pino.Logger;

const DEFAULT_LEVEL = 'info';

function levelFromEnvironment(): string {
  const requested = process.env.SOFTPHONE_LOG_LEVEL?.trim().toLowerCase();
  // A typo in an environment variable must not stop the app from starting.
  if (requested && (requested === 'silent' || requested in pino.levels.values)) return requested;
  return DEFAULT_LEVEL;
}

export function createLogger(name: string): Logger {
  return pino({ name, level: levelFromEnvironment() }, pino.destination(2));
}
