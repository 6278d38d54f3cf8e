/**
 * kill -9 during a save never leaves a broken or lost contacts file: a child
 * process saves contacts in a loop and is killed with SIGKILL at a random
 * moment, 200 times; after every kill the file must hold the document before
 * the save that was under way or the one after it, whole. The next child's
 * load must find nothing to recover and clean up the temp file a kill left.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { Contact } from '../../../common/contact-schema.ts';
import { createContactsStore } from '../../../main/core/contacts-store.ts';
import { isTempFileOf } from '../../../main/core/json-file-store.ts';
import { createCapturingLogger } from '../../support/capturing-logger.ts';
import { savedContact } from '../../support/contact-fixtures.ts';
import { expect, test } from '../../support/temp-dir.ts';

const KILLS = 200;
/** Four children at a time, each in its own folder: they mostly wait for the disk, so this keeps the test short. */
const LANES = 4;

const filler = (i: number) =>
  savedContact(`filler-${String(i).padStart(4, '0')}`, `Filler ${i}`, { addresses: [{ kind: 'sip', value: `sip:user${i}@pbx.example.org` }], notes: 'x'.repeat(300) });

/** Reads the file as the next start would; returns the counter it holds. */
async function counterOnDisk(file: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  const document = JSON.parse(text) as { version: number; contacts: unknown[] };
  expect(document.version).toBe(2);
  expect(document.contacts).toHaveLength(101);
  const contacts = document.contacts.map((entry) => Contact.parse(entry));
  return Number(contacts.find((c) => c.name === 'Counter')!.notes.replace('save ', ''));
}

interface Round {
  /** Highest save the child said it finished before it was killed. */
  acknowledged: number;
  sawReady: boolean;
}

/** Starts the child, kills it with SIGKILL after a random moment, and says what it had reported. */
function runAndKill(script: string, dir: string, startedFrom: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const round: Round = { acknowledged: startedFrom, sawReady: false };
    let stderr = '';
    let buffered = '';
    let timer: NodeJS.Timeout | undefined;
    const killSoon = (maxMs: number) => {
      timer ??= setTimeout(() => child.kill('SIGKILL'), Math.random() * maxMs);
    };
    // A quarter of the kills land while the child is still starting (loading, cleaning up).
    if (Math.random() < 0.25) killSoon(150);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [word, value] = line.split(' ');
        if (word === 'ready') {
          round.sawReady = true;
          killSoon(40);
        } else if (word === 'saved') {
          round.acknowledged = Number(value);
        } else {
          reject(new Error(`child said: ${line}`));
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(round);
      else reject(new Error(`child ended by itself (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}

test('200 kills at random moments during saves: the file is always the old or the new document, whole', async ({ tempDir }, testInfo) => {
  test.setTimeout(120_000);
  // Bundled once, so each of the 200 children starts in a fraction of a second.
  const script = path.join(tempDir, 'contacts-save-loop.cjs');
  await build({
    entryPoints: [path.join(import.meta.dirname, '../../support/contacts-save-loop.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: script,
    logLevel: 'error',
  });

  const started = Date.now();
  let killsDuringWrites = 0;
  let killsWhileStarting = 0;
  const lane = async (index: number) => {
    const dir = path.join(tempDir, `lane-${index}`);
    const file = path.join(dir, 'contacts.json');
    const counter = savedContact('counter-0001', 'Counter', { addresses: [{ kind: 'tel', value: '1001' }], notes: 'save 0' });
    await mkdir(dir);
    await writeFile(file, JSON.stringify({ version: 2, contacts: [...Array.from({ length: 100 }, (_, i) => filler(i + 1)), counter] }));

    let onDisk = 0;
    for (let kill = 0; kill < KILLS / LANES; kill++) {
      const round = await runAndKill(script, dir, onDisk);
      const now = await counterOnDisk(file);
      // At most one save is under way at a time: the file holds the last finished save or the one after it.
      expect(now, `after kill ${kill} in lane ${index}`).toBeGreaterThanOrEqual(round.acknowledged);
      expect(now, `after kill ${kill} in lane ${index}`).toBeLessThanOrEqual(round.acknowledged + 1);
      if (!round.sawReady) killsWhileStarting += 1;
      if ((await readdir(dir)).some((name) => isTempFileOf(file, name))) killsDuringWrites += 1;
      onDisk = now;
    }

    // A normal start after the last kill: nothing to recover, no temp file left.
    const store = createContactsStore({ userDataDir: dir, log: createCapturingLogger().log });
    const report = await store.load();
    expect(report).toMatchObject({ recovered: null, rejected: null, unavailable: null, migrated: null });
    expect(store.list().find((c) => c.name === 'Counter')!.notes).toBe(`save ${onDisk}`);
    expect((await readdir(dir)).filter((name) => name !== 'contacts.json')).toEqual([]);
  };
  await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));

  const summary = `${KILLS} kills in ${((Date.now() - started) / 1000).toFixed(1)} s: ${killsDuringWrites} left a temp file (killed mid-save), ${killsWhileStarting} hit the child while it was starting`;
  testInfo.annotations.push({ type: 'kills', description: summary });
  console.log(summary);
  // The kills must really have landed inside saves, or the test proves nothing.
  expect(killsDuringWrites).toBeGreaterThan(10);
});
