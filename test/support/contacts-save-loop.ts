/**
 * A child process for the kill test: loads the contacts in the folder given as
 * its argument (cleaning up after the previous, killed, child), then saves
 * them again and again, printing "saved N" after each save completed. The
 * document holds the counter (a contact's notes), so the parent can tell the
 * old document from the new one. The parent writes the first document.
 */
import type { Logger } from '../../common/logger.ts';
import { createContactsStore } from '../../main/core/contacts-store.ts';

// Bundled on its own for a fast start, so no pino: a logger that says nothing.
const silent = new Proxy({}, { get: (_, key) => (key === 'child' ? () => silent : () => undefined) }) as Logger;

// No top-level await: the test bundles this file as CommonJS, for a fast start.
async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: contacts-save-loop.ts <folder>');
  const store = createContactsStore({ userDataDir: dir, log: silent });
  const report = await store.load();
  if (report.recovered || report.rejected || report.unavailable) {
    process.stdout.write(`broken ${JSON.stringify(report)}\n`);
    process.exit(3);
  }
  const counter = store.list().find((c) => c.name === 'Counter');
  if (!counter) throw new Error('the folder has no contact named Counter');
  let n = Number(counter.notes.replace('save ', ''));
  process.stdout.write(`ready ${n}\n`);
  for (;;) {
    n += 1;
    await store.update(counter.id, { notes: `save ${n}` });
    process.stdout.write(`saved ${n}\n`);
  }
}

void main();
