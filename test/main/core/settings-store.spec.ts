import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createSettingsStore } from '../../../main/core/settings-store.ts';
import { createCapturingLogger } from '../../support/capturing-logger.ts';
import { expect, test } from '../../support/temp-dir.ts';

function openSettings(userDataDir: string) {
  return createSettingsStore({ userDataDir, log: createCapturingLogger().log });
}

test('a new profile has no display name and nothing to recover', async ({ tempDir }) => {
  const settings = openSettings(tempDir);

  expect(await settings.load()).toEqual({ settings: { displayName: null }, recovered: null });
  expect(settings.get()).toEqual({ displayName: null });
});

test('an updated display name survives a restart', async ({ tempDir }) => {
  const settings = openSettings(tempDir);
  await settings.load();

  expect(await settings.update({ displayName: ' Alice ' })).toEqual({ displayName: 'Alice' });
  expect(settings.get()).toEqual({ displayName: 'Alice' });

  const restarted = openSettings(tempDir);
  expect(await restarted.load()).toEqual({ settings: { displayName: 'Alice' }, recovered: null });
  expect(JSON.parse(await readFile(path.join(tempDir, 'settings.json'), 'utf8'))).toEqual({ displayName: 'Alice' });
});

test('an invalid update is refused and changes nothing', async ({ tempDir }) => {
  const settings = openSettings(tempDir);
  await settings.load();
  await settings.update({ displayName: 'Alice' });

  await expect(settings.update({ displayName: '' })).rejects.toThrow(/empty/);
  await expect(settings.update({ displayName: 42 as unknown as string })).rejects.toThrow();

  expect(settings.get()).toEqual({ displayName: 'Alice' });
  const restarted = openSettings(tempDir);
  expect((await restarted.load()).settings).toEqual({ displayName: 'Alice' });
});

test('get() hands out a copy that cannot change the stored settings', async ({ tempDir }) => {
  const settings = openSettings(tempDir);
  await settings.load();

  const copy = settings.get();
  copy.displayName = 'Mallory';

  expect(settings.get()).toEqual({ displayName: null });
});

test('using the store before load() is a clear error', async ({ tempDir }) => {
  const settings = openSettings(tempDir);

  expect(() => settings.get()).toThrow(/before load\(\)/);
  await expect(settings.update({ displayName: 'Alice' })).rejects.toThrow(/before load\(\)/);
  expect(await readdir(tempDir)).toEqual([]);
});

for (const [what, original, reason] of [
  ['not JSON', '{"displayName": "Ali', /not valid JSON/],
  ['the wrong shape', '{"displayName": 7}', /unexpected content \(displayName/],
] as const) {
  test(`a settings file that is ${what} is kept aside, reported, and defaults are used`, async ({ tempDir }) => {
    const filePath = path.join(tempDir, 'settings.json');
    await writeFile(filePath, original);
    const settings = openSettings(tempDir);

    const loaded = await settings.load();

    expect(loaded.settings).toEqual({ displayName: null });
    expect(loaded.recovered!.reason).toMatch(reason);
    expect(path.basename(loaded.recovered!.movedTo)).toMatch(/^settings\.corrupt-.+\.json$/);
    expect(await readFile(loaded.recovered!.movedTo, 'utf8')).toBe(original);

    await settings.update({ displayName: 'Bob' });
    expect((await openSettings(tempDir).load()).settings).toEqual({ displayName: 'Bob' });
    expect(await readFile(loaded.recovered!.movedTo, 'utf8')).toBe(original);
  });
}

test('overlapping updates end with the last one, in memory and on disk', async ({ tempDir }) => {
  const settings = openSettings(tempDir);
  await settings.load();

  await Promise.all(Array.from({ length: 20 }, (_, i) => settings.update({ displayName: `Name ${i}` })));

  expect(settings.get()).toEqual({ displayName: 'Name 19' });
  expect((await openSettings(tempDir).load()).settings).toEqual({ displayName: 'Name 19' });
});
