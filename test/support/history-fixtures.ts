/** Call history on disk before a softphone starts: a profile folder whose history log holds the given calls. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HistoryEntry } from '../../common/history-schema.ts';
import { HISTORY_FILE_NAME } from '../../main/core/history/history-log.ts';

/** A new profile folder (the caller removes it) with these calls in its history. */
export async function profileWithHistory(entries: readonly HistoryEntry[]): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'softphone-history-'));
  await writeFile(path.join(dir, HISTORY_FILE_NAME), entries.map((entry) => `${JSON.stringify({ op: 'add', entry })}\n`).join(''));
  return dir;
}

/** An answered incoming audio call of half a minute; `patch` changes what a test needs. */
export function pastCall(id: string, address: string, startedAt: number, patch: Partial<HistoryEntry> = {}): HistoryEntry {
  return { id, direction: 'incoming', outcome: 'answered', account: 'app', address, displayName: null, video: false, startedAt, answeredAt: startedAt + 2000, endedAt: startedAt + 30_000, ...patch };
}
