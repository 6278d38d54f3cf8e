import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { createJsonFileStore } from '../../../main/core/json-file-store.ts';
import { createCapturingLogger } from '../../support/capturing-logger.ts';
import { expect, test } from '../../support/temp-dir.ts';

const Doc = z.object({ version: z.literal(1), items: z.array(z.string().min(1)) });
type Doc = z.infer<typeof Doc>;

function openStore(filePath: string) {
  const { log, warnings } = createCapturingLogger();
  const store = createJsonFileStore<Doc>({ filePath, schema: Doc, defaults: () => ({ version: 1, items: [] }), log });
  return { store, warnings };
}

const asidePattern = /^doc\.corrupt-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z(-\d+)?\.json$/;

test('a missing file loads as the defaults and is not created by loading', async ({ tempDir }) => {
  const filePath = path.join(tempDir, 'doc.json');
  const { store } = openStore(filePath);

  expect(await store.load()).toEqual({ value: { version: 1, items: [] }, recovered: null });
  expect(await readdir(tempDir)).toEqual([]);
});

test('what is saved is loaded again by a fresh store (an app restart)', async ({ tempDir }) => {
  const filePath = path.join(tempDir, 'nested', 'folder', 'doc.json');
  await openStore(filePath).store.save({ version: 1, items: ['a', 'b'] });

  const restarted = openStore(filePath).store;
  expect(await restarted.load()).toEqual({ value: { version: 1, items: ['a', 'b'] }, recovered: null });
  expect(JSON.parse(await readFile(filePath, 'utf8'))).toEqual({ version: 1, items: ['a', 'b'] });
});

test('a file that is not JSON is moved aside with its bytes intact, and reported', async ({ tempDir }) => {
  const filePath = path.join(tempDir, 'doc.json');
  const original = Buffer.from('{"version": 1, "items": ["half a wri', 'utf8');
  await writeFile(filePath, original);
  const { store, warnings } = openStore(filePath);

  const { value, recovered } = await store.load();

  expect(value).toEqual({ version: 1, items: [] });
  expect(recovered).not.toBeNull();
  expect(recovered!.reason).toMatch(/not valid JSON/);
  expect(path.dirname(recovered!.movedTo)).toBe(tempDir);
  expect(path.basename(recovered!.movedTo)).toMatch(asidePattern);
  expect(await readFile(recovered!.movedTo)).toEqual(original);
  expect(await readdir(tempDir)).toEqual([path.basename(recovered!.movedTo)]);
  expect(warnings()).toEqual([
    expect.objectContaining({ msg: expect.stringMatching(/moved aside/), movedTo: recovered!.movedTo }),
  ]);
});

test('a JSON file of the wrong shape is moved aside and the reason names the problem', async ({ tempDir }) => {
  const filePath = path.join(tempDir, 'doc.json');
  const original = '{"version": 1, "items": ["ok", ""]}\n';
  await writeFile(filePath, original);

  const { value, recovered } = await openStore(filePath).store.load();

  expect(value).toEqual({ version: 1, items: [] });
  expect(recovered!.reason).toMatch(/unexpected content/);
  expect(recovered!.reason).toContain('items.1');
  expect(await readFile(recovered!.movedTo, 'utf8')).toBe(original);
});

test('after a recovery, new saves go to the usual file and the recovered copy is left alone', async ({ tempDir }) => {
  const filePath = path.join(tempDir, 'doc.json');
  await writeFile(filePath, 'garbage');
  const { store } = openStore(filePath);
  const { recovered } = await store.load();

  await store.save({ version: 1, items: ['fresh'] });

  expect(await openStore(filePath).store.load()).toEqual({ value: { version: 1, items: ['fresh'] }, recovered: null });
  expect(await readFile(recovered!.movedTo, 'utf8')).toBe('garbage');
});

test('recovering twice keeps both broken files, each with its own bytes', async ({ tempDir }) => {
  const filePath = path.join(tempDir, 'doc.json');
  await writeFile(filePath, 'first broken');
  const first = await openStore(filePath).store.load();
  await writeFile(filePath, 'second broken');
  const second = await openStore(filePath).store.load();

  expect(first.recovered!.movedTo).not.toBe(second.recovered!.movedTo);
  expect(await readFile(first.recovered!.movedTo, 'utf8')).toBe('first broken');
  expect(await readFile(second.recovered!.movedTo, 'utf8')).toBe('second broken');
  expect((await readdir(tempDir)).sort()).toEqual(
    [path.basename(first.recovered!.movedTo), path.basename(second.recovered!.movedTo)].sort(),
  );
});

test('a byte-order mark in front of valid JSON is not treated as corruption', async ({ tempDir }) => {
  const filePath = path.join(tempDir, 'doc.json');
  await writeFile(filePath, '\uFEFF{"version": 1, "items": ["x"]}');

  expect(await openStore(filePath).store.load()).toEqual({ value: { version: 1, items: ['x'] }, recovered: null });
});

test('a file that cannot be read at all is reported as an error and not moved', async ({ tempDir }) => {
  const filePath = path.join(tempDir, 'doc.json');
  await mkdir(filePath);

  await expect(openStore(filePath).store.load()).rejects.toThrow(/Cannot read .*doc\.json/);
  expect(await readdir(tempDir)).toEqual(['doc.json']);
});

test('an invalid document is refused before anything is written', async ({ tempDir }) => {
  const filePath = path.join(tempDir, 'doc.json');
  const { store } = openStore(filePath);
  await store.save({ version: 1, items: ['kept'] });

  await expect(store.save({ version: 1, items: [''] })).rejects.toThrow(/Refusing to save .*items\.0/);
  await expect(store.save({ version: 2 } as unknown as Doc)).rejects.toThrow(/Refusing to save/);

  expect(JSON.parse(await readFile(filePath, 'utf8'))).toEqual({ version: 1, items: ['kept'] });
});

test('concurrent saves end with the last value, whole, and leave no temporary files', async ({ tempDir }) => {
  const filePath = path.join(tempDir, 'doc.json');
  const { store } = openStore(filePath);
  // Big enough that interleaved writes would show up as broken JSON.
  const bigItems = (n: number) => Array.from({ length: 2000 }, (_, i) => `save ${n} item ${i}`);

  await Promise.all(Array.from({ length: 30 }, (_, n) => store.save({ version: 1, items: bigItems(n) })));

  expect(await openStore(filePath).store.load()).toEqual({ value: { version: 1, items: bigItems(29) }, recovered: null });
  expect(await readdir(tempDir)).toEqual(['doc.json']);
});

test('a save writes the value as it was when save was called', async ({ tempDir }) => {
  const filePath = path.join(tempDir, 'doc.json');
  const { store } = openStore(filePath);
  const value: Doc = { version: 1, items: ['before'] };

  const saving = store.save(value);
  value.items.push('after');
  await saving;

  expect(JSON.parse(await readFile(filePath, 'utf8'))).toEqual({ version: 1, items: ['before'] });
});

test('a save that fails on disk does not block the saves queued after it', async ({ tempDir }) => {
  // The file's folder is a plain file at first, so the first save cannot create it.
  const folder = path.join(tempDir, 'data');
  await writeFile(folder, '');
  const filePath = path.join(folder, 'doc.json');
  const { store } = openStore(filePath);

  const first = store.save({ version: 1, items: ['lost 1'] });
  const second = store.save({ version: 1, items: ['lost 2'] });
  await expect(first).rejects.toThrow();
  await expect(second).rejects.toThrow();

  await rm(folder);
  await store.save({ version: 1, items: ['written'] });
  expect(JSON.parse(await readFile(filePath, 'utf8'))).toEqual({ version: 1, items: ['written'] });
});
