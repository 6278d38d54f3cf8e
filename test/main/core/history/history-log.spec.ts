/**
 * The call history log on disk: appends, survives a cut-short last line,
 * keeps good entries when one is bad, compacts, and refuses folders.
 */
import { appendFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { HistoryEntry } from '../../../../common/history-schema.ts';
import { HISTORY_FILE_NAME, HistoryLog } from '../../../../main/core/history/history-log.ts';
import { expect, test } from '../../../support/temp-dir.ts';

function entry(n: number, fields: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: `call-${n}`,
    direction: 'incoming',
    outcome: 'answered',
    account: 'app',
    address: `caller${n}`,
    displayName: null,
    video: false,
    startedAt: 1_000 * n,
    answeredAt: 1_000 * n + 100,
    endedAt: 1_000 * n + 5_000,
    ...fields,
  };
}

test('calls are appended, newest first, and come back after a restart; missed calls count until seen', async ({ tempDir }) => {
  const log = new HistoryLog(tempDir);
  await log.load();
  await log.add(entry(1));
  await log.add(entry(2, { outcome: 'missed', answeredAt: null }));
  await log.add(entry(3));
  expect((await readFile(path.join(tempDir, HISTORY_FILE_NAME), 'utf8')).trim().split('\n')).toHaveLength(3);

  const again = new HistoryLog(tempDir);
  expect(await again.load()).toEqual({ skipped: 0, keptAs: null });
  expect(again.summary()).toMatchObject({ total: 3, unseenMissed: 1 });
  expect(again.summary().recent.map((e) => e.id)).toEqual(['call-3', 'call-2', 'call-1']);
  expect(again.page({ before: 3_000, limit: 1 })).toEqual({ entries: [entry(2, { outcome: 'missed', answeredAt: null })], more: true });

  await again.markSeen(10_000);
  expect(await again.delete('call-1')).toBe(true);
  expect(await again.delete('call-1')).toBe(false);
  const third = new HistoryLog(tempDir);
  await third.load();
  expect(third.summary()).toMatchObject({ total: 2, unseenMissed: 0 });
  await third.clear();
  const fourth = new HistoryLog(tempDir);
  await fourth.load();
  expect(fourth.summary()).toEqual({ recent: [], total: 0, unseenMissed: 0 });
});

test('a last line cut short by a crash is skipped quietly, and the next call still lands on a line of its own', async ({ tempDir }) => {
  const file = path.join(tempDir, HISTORY_FILE_NAME);
  await writeFile(file, `${JSON.stringify({ op: 'add', entry: entry(1) })}\n{"op":"add","entry":{"id":"cal`);
  const log = new HistoryLog(tempDir);
  expect(await log.load()).toEqual({ skipped: 0, keptAs: null });
  await log.add(entry(2));
  const reloaded = new HistoryLog(tempDir);
  await reloaded.load();
  expect(reloaded.summary().recent.map((e) => e.id)).toEqual(['call-2', 'call-1']);
});

test('a bad line in the middle keeps the good entries, reports it, and keeps the file as it was', async ({ tempDir }) => {
  const file = path.join(tempDir, HISTORY_FILE_NAME);
  const original = [
    JSON.stringify({ op: 'add', entry: entry(1) }),
    '{not json',
    JSON.stringify({ op: 'add', entry: { ...entry(2), outcome: 'teleported' } }),
    JSON.stringify({ op: 'add', entry: entry(3) }),
    '',
  ].join('\n');
  await writeFile(file, original);
  const log = new HistoryLog(tempDir);
  const report = await log.load();
  expect(report.skipped).toBe(2);
  expect(await readFile(report.keptAs!, 'utf8')).toBe(original);
  expect(log.summary().recent.map((e) => e.id)).toEqual(['call-3', 'call-1']);
  // The log itself was rewritten with the good entries only.
  const reloaded = new HistoryLog(tempDir);
  expect((await reloaded.load()).skipped).toBe(0);
  expect(reloaded.summary().total).toBe(2);
});

test('a log with more dead lines than live ones is compacted', async ({ tempDir }) => {
  const log = new HistoryLog(tempDir);
  await log.load();
  for (let i = 0; i < 700; i++) {
    await log.add(entry(i));
    await log.delete(`call-${i}`);
  }
  await log.add(entry(9999));
  const lines = (await readFile(path.join(tempDir, HISTORY_FILE_NAME), 'utf8')).trim().split('\n');
  expect(lines.length).toBeLessThan(1000);
  expect(log.summary().total).toBe(1);
});

test('a history path that is a folder is a clear error, and nothing in it is touched', async ({ tempDir }) => {
  await mkdir(path.join(tempDir, HISTORY_FILE_NAME));
  await appendFile(path.join(tempDir, HISTORY_FILE_NAME, 'keep.txt'), 'mine');
  await expect(new HistoryLog(tempDir).load()).rejects.toThrow(/is a folder, not a file/);
  expect(await readdir(path.join(tempDir, HISTORY_FILE_NAME))).toEqual(['keep.txt']);
});

test('a call recorded while the history is still being read waits for the read: nothing is lost or counted twice', async ({ tempDir }) => {
  const first = new HistoryLog(tempDir);
  await first.load();
  for (let n = 1; n <= 300; n++) await first.add(entry(n));
  // The last run was killed mid-write: the file ends in half a line.
  await appendFile(path.join(tempDir, HISTORY_FILE_NAME), '{"op":"add","entry":{"id":"call-cut');

  // The app starts without waiting for its history; a call ends before the read is done.
  const log = new HistoryLog(tempDir);
  const reading = log.load();
  const recording = log.add(entry(301));
  await Promise.all([reading, recording]);
  expect(log.summary().total).toBe(301);
  expect(log.summary().recent[0]!.id).toBe('call-301');

  const again = new HistoryLog(tempDir);
  await again.load();
  expect(again.summary().total).toBe(301);
});
