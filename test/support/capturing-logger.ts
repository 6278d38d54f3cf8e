/** A real pino Logger whose JSON lines are kept in memory, so tests can assert what was logged. */
import pino from 'pino';
import type { Logger } from '../../common/logger.ts';

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export function createCapturingLogger(): { log: Logger; lines: LogLine[]; warnings: () => LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { log, lines, warnings: () => lines.filter((line) => line.level >= pino.levels.values.warn!) };
}
