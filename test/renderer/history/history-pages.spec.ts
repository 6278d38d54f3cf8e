/** The History tab's list: main's newest calls and older pages, whole and each call once, through deletes and new calls. */
import { expect, test } from '@playwright/test';
import { RECENT_HISTORY, type HistoryEntry, type HistoryPage, type HistorySummary } from '../../../common/history-schema.ts';
import { HistoryPages } from '../../../renderer/history/history-pages.ts';

function call(n: number): HistoryEntry {
  const startedAt = 1_000_000 + n * 60_000;
  return { id: `call-${n}`, direction: 'incoming', outcome: 'answered', account: 'app', address: 'Bob', displayName: null, video: false, startedAt, answeredAt: startedAt, endedAt: startedAt + 1000 };
}

/** Main's side: calls numbered 0 (oldest) … n-1, its summary and its pages. */
class FakeMain {
  calls: HistoryEntry[];
  asked = 0;
  constructor(count: number) {
    this.calls = Array.from({ length: count }, (_, i) => call(i)).reverse();
  }
  summary(): HistorySummary {
    return { recent: this.calls.slice(0, RECENT_HISTORY), total: this.calls.length, unseenMissed: 0 };
  }
  readonly api = {
    listHistory: async ({ before, limit }: { before?: number; limit: number }): Promise<HistoryPage> => {
      this.asked++;
      const older = this.calls.filter((e) => before === undefined || e.startedAt < before);
      return { entries: older.slice(0, limit), more: older.length > limit };
    },
  };
}

const ids = (list: readonly HistoryEntry[]) => list.map((e) => Number(e.id.slice(5)));

test('pages follow the newest calls until every call is there, newest first; asking twice at once fetches once', async () => {
  const main = new FakeMain(1200);
  const pages = new HistoryPages();
  expect(pages.entries(main.summary())).toHaveLength(RECENT_HISTORY);
  expect(pages.hasMore(main.summary())).toBe(true);
  await Promise.all([pages.loadOlder(main.api, main.summary()), pages.loadOlder(main.api, main.summary())]);
  expect(main.asked).toBe(1);
  while (pages.hasMore(main.summary())) await pages.loadOlder(main.api, main.summary());
  expect(ids(pages.entries(main.summary()))).toEqual(Array.from({ length: 1200 }, (_, i) => 1199 - i));
  // The same summary (main pushed nothing new): the same list, not a new one each render.
  const summary = main.summary();
  expect(pages.entries(summary)).toBe(pages.entries(summary));
});

test('a delete among the newest refills them from the pages: each call once', async () => {
  const main = new FakeMain(600);
  const pages = new HistoryPages();
  await pages.loadOlder(main.api, main.summary());
  main.calls = main.calls.filter((e) => e.id !== 'call-550');
  pages.removed('call-550');
  const list = ids(pages.entries(main.summary()));
  expect(list).toHaveLength(599);
  expect(new Set(list).size).toBe(599);
  expect(list).not.toContain(550);
});

test('new calls push the oldest of the newest out of what main sends: they stay in the list', async () => {
  const main = new FakeMain(600);
  const pages = new HistoryPages();
  pages.entries(main.summary());
  await pages.loadOlder(main.api, main.summary());
  main.calls = [call(601), call(600), ...main.calls];
  const list = ids(pages.entries(main.summary()));
  expect(list).toEqual(Array.from({ length: 602 }, (_, i) => 601 - i));
});

test('clearing forgets the pages', async () => {
  const main = new FakeMain(600);
  const pages = new HistoryPages();
  await pages.loadOlder(main.api, main.summary());
  main.calls = [];
  pages.cleared();
  expect(pages.entries(main.summary())).toEqual([]);
  expect(pages.hasMore(main.summary())).toBe(false);
});
