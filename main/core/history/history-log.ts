/**
 * The call history on disk: an append-only log of JSON lines
 * (`<userData>/history.jsonl`). A call adds one line; deleting and clearing
 * add a line too, so a save never rewrites what is already there, however
 * long the history grows. The log is compacted (rewritten atomically with
 * only what is live) when it carries more dead lines than live ones.
 *
 * A crash can at worst cut the last line short: loading skips it. Any other
 * line that cannot be read is reported, the file is kept aside as it was,
 * and the good entries stay. Memory changes only after the disk write
 * succeeded, so a failed save (read-only folder, disk full) leaves both
 * agreeing, and the caller tells the user.
 */
import { constants as fsConstants } from 'node:fs';
import { appendFile, copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { HistoryEntry, RECENT_HISTORY, type HistoryPage, type HistorySummary } from '../../../common/history-schema.ts';

export const HISTORY_FILE_NAME = 'history.jsonl';
/** Beyond this many calls the oldest are dropped at the next compaction. */
export const MAX_HISTORY_ENTRIES = 100_000;
/** A history file this big is not ours to read into memory. */
const MAX_HISTORY_FILE_BYTES = 200 * 1024 * 1024;

const LogRecord = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add'), entry: HistoryEntry }),
  z.object({ op: z.literal('delete'), id: z.string().max(64) }),
  z.object({ op: z.literal('clear') }),
  /** Missed calls up to this moment were seen. */
  z.object({ op: z.literal('seen'), at: z.number().int().nonnegative() }),
]);
type LogRecord = z.infer<typeof LogRecord>;

export interface HistoryLoadReport {
  /** Lines that could not be read (a cut-short last line from a crash is not counted). */
  skipped: number;
  /** Where the file was kept as it was, when lines were skipped. */
  keptAs: string | null;
}

export class HistoryLog {
  private readonly filePath: string;
  /** Live entries by id, in the order they were added. */
  private readonly entries = new Map<string, HistoryEntry>();
  private seenAt = 0;
  private lines = 0;
  private needsNewline = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(userDataDir: string) {
    this.filePath = path.join(userDataDir, HISTORY_FILE_NAME);
  }

  /**
   * Reads the log. Changes made meanwhile wait for it (they queue behind it),
   * so the app may start before its history is read.
   */
  load(): Promise<HistoryLoadReport> {
    return this.serialized(() => this.read());
  }

  private async read(): Promise<HistoryLoadReport> {
    let text: string;
    try {
      const info = await stat(this.filePath);
      if (info.isDirectory()) throw new Error(`${this.filePath} is a folder, not a file: call history cannot be kept until it is moved away`);
      if (info.size > MAX_HISTORY_FILE_BYTES) throw new Error(`${this.filePath} is ${Math.round(info.size / 1048576)} MB, too big to be call history: it was left alone`);
      text = await readFile(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { skipped: 0, keptAs: null };
      throw error;
    }
    const lines = text.split('\n');
    const last = lines.pop() ?? '';
    // A last line without its newline is what a crash mid-write leaves: not corruption.
    this.needsNewline = last.length > 0;
    let skipped = 0;
    for (const line of lines) {
      if (line.trim() === '') continue;
      const record = parseRecord(line);
      if (record) this.apply(record);
      else skipped++;
    }
    if (this.needsNewline) {
      const record = parseRecord(last);
      if (record) this.apply(record);
    }
    this.lines = lines.length + (this.needsNewline ? 1 : 0);
    let keptAs: string | null = null;
    if (skipped > 0) {
      keptAs = await keepAside(this.filePath);
      await this.compact();
    }
    return { skipped, keptAs };
  }

  summary(): HistorySummary {
    const newest = this.newestFirst();
    return {
      recent: newest.slice(0, RECENT_HISTORY),
      total: this.entries.size,
      unseenMissed: newest.filter((e) => e.outcome === 'missed' && e.endedAt > this.seenAt).length,
    };
  }

  page({ before, limit }: { before?: number | undefined; limit: number }): HistoryPage {
    const older = this.newestFirst().filter((e) => before === undefined || e.startedAt < before);
    return { entries: older.slice(0, limit), more: older.length > limit };
  }

  add(entry: HistoryEntry): Promise<void> {
    return this.write({ op: 'add', entry: HistoryEntry.parse(entry) });
  }

  /** False when there is no such entry. */
  async delete(id: string): Promise<boolean> {
    if (!this.entries.has(id)) return false;
    await this.write({ op: 'delete', id });
    return true;
  }

  /** Everything goes, so the file is rewritten empty rather than appended to. */
  clear(): Promise<void> {
    return this.serialized(async () => {
      await this.writeWhole([{ op: 'seen', at: this.seenAt }]);
      this.entries.clear();
    });
  }

  markSeen(at: number): Promise<void> {
    if (at <= this.seenAt) return Promise.resolve();
    return this.write({ op: 'seen', at });
  }

  private write(record: LogRecord): Promise<void> {
    return this.serialized(async () => {
      await mkdir(path.dirname(this.filePath), { recursive: true });
      const line = `${this.needsNewline ? '\n' : ''}${JSON.stringify(record)}\n`;
      await appendFile(this.filePath, line, 'utf8');
      this.needsNewline = false;
      this.lines++;
      this.apply(record);
      if (this.lines > 1000 && this.lines > 2 * this.entries.size) await this.compact();
    });
  }

  private apply(record: LogRecord): void {
    switch (record.op) {
      case 'add':
        this.entries.set(record.entry.id, record.entry);
        if (this.entries.size > MAX_HISTORY_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
        return;
      case 'delete':
        this.entries.delete(record.id);
        return;
      case 'clear':
        this.entries.clear();
        return;
      case 'seen':
        this.seenAt = Math.max(this.seenAt, record.at);
        return;
    }
  }

  /** Rewrites the log with only what is live, atomically (temp file and rename). */
  private async compact(): Promise<void> {
    await this.writeWhole([{ op: 'seen', at: this.seenAt }, ...[...this.entries.values()].map((entry) => ({ op: 'add' as const, entry }))]);
  }

  private async writeWhole(records: LogRecord[]): Promise<void> {
    await mkdir(path.dirname(this.filePath), { recursive: true });
    await writeFileAtomic(this.filePath, records.map((r) => `${JSON.stringify(r)}\n`).join(''), { encoding: 'utf8' });
    this.lines = records.length;
    this.needsNewline = false;
  }

  private newestFirst(): HistoryEntry[] {
    return [...this.entries.values()].sort((a, b) => b.startedAt - a.startedAt);
  }

  private serialized<R>(operation: () => Promise<R>): Promise<R> {
    const run = this.queue.then(operation, operation);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function parseRecord(line: string): LogRecord | null {
  try {
    const parsed = LogRecord.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A copy of the file as it was, next to it, never overwriting an earlier copy. */
async function keepAside(filePath: string): Promise<string> {
  const { dir, name, ext } = path.parse(filePath);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let attempt = 0; ; attempt++) {
    const target = path.join(dir, `${name}.unreadable-${stamp}${attempt ? `-${attempt}` : ''}${ext}`);
    try {
      await copyFile(filePath, target, fsConstants.COPYFILE_EXCL);
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
