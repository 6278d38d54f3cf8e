/**
 * The calls the History tab shows: the newest ones main pushes with every
 * change, then older pages fetched as the user scrolls down. The two overlap
 * after a delete (main's newest refill from what was a page) and drift apart
 * when a call comes in (the oldest of the newest drops out of main's push):
 * the list stays whole, each call once, newest first.
 */
import { MAX_HISTORY_PAGE, type HistoryEntry, type HistorySummary } from '../../common/history-schema.ts';
import type { SoftphoneApi } from '../../common/ipc-contract.ts';

export class HistoryPages {
  /** Calls older than main's newest, fetched or dropped out of its push, newest first. */
  private older: HistoryEntry[] = [];
  private lastRecent: readonly HistoryEntry[] = [];
  private deleted = new Set<string>();
  private loading: Promise<void> | null = null;
  /** The last list handed out and what it was made of, so an unchanged history is not merged again on every render. */
  private shown: { recent: readonly HistoryEntry[]; older: HistoryEntry[]; list: readonly HistoryEntry[] } | null = null;

  /** Every call known here, newest first. */
  entries(summary: HistorySummary): readonly HistoryEntry[] {
    this.follow(summary.recent);
    if (this.shown?.recent === summary.recent && this.shown.older === this.older) return this.shown.list;
    const ids = new Set(summary.recent.map((e) => e.id));
    const list = [...summary.recent, ...this.older.filter((e) => !ids.has(e.id))];
    this.shown = { recent: summary.recent, older: this.older, list };
    return list;
  }

  /** Main holds calls not fetched yet. */
  hasMore(summary: HistorySummary): boolean {
    return summary.total > this.entries(summary).length;
  }

  /** Fetches the next older page; a second ask while one is on its way waits for that one. */
  loadOlder(api: Pick<SoftphoneApi, 'listHistory'>, summary: HistorySummary): Promise<void> {
    this.loading ??= (async () => {
      try {
        const before = this.entries(summary).at(-1)?.startedAt;
        const page = await api.listHistory({ before, limit: MAX_HISTORY_PAGE });
        const known = new Set(this.older.map((e) => e.id));
        this.older = [...this.older, ...page.entries.filter((e) => !known.has(e.id) && !this.deleted.has(e.id))];
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** One call was deleted here. */
  removed(id: string): void {
    this.deleted.add(id);
    this.older = this.older.filter((e) => e.id !== id);
  }

  /** The whole history was cleared. */
  cleared(): void {
    this.older = [];
    this.lastRecent = [];
    this.deleted.clear();
  }

  /**
   * Calls that left main's newest without being deleted were pushed out by
   * newer ones: once older pages are shown they join them, or the list would
   * have a gap where they were.
   */
  private follow(recent: readonly HistoryEntry[]): void {
    const before = this.lastRecent;
    if (before === recent) return;
    this.lastRecent = recent;
    const oldestKept = recent.at(-1)?.startedAt;
    if (this.older.length === 0 || oldestKept === undefined) return;
    const ids = new Set(recent.map((e) => e.id));
    const pushedOut = before.filter((e) => !ids.has(e.id) && !this.deleted.has(e.id) && e.startedAt <= oldestKept);
    if (pushedOut.length === 0) return;
    const known = new Set(this.older.map((e) => e.id));
    this.older = [...pushedOut.filter((e) => !known.has(e.id)), ...this.older];
  }
}
