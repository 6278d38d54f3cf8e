import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createSettingsStore, DEFAULT_SETTINGS } from '../../../main/core/settings-store.ts';
import { createCapturingLogger } from '../../support/capturing-logger.ts';
import { expect, test } from '../../support/temp-dir.ts';

/** The defaults with this display name. */
const named = (displayName: string | null) => ({ ...structuredClone(DEFAULT_SETTINGS), displayName });

function openSettings(userDataDir: string) {
  return createSettingsStore({ userDataDir, log: createCapturingLogger().log });
}

test('a new profile has no display name and nothing to recover', async ({ tempDir }) => {
  const settings = openSettings(tempDir);

  expect(await settings.load()).toEqual({ settings: named(null), recovered: null });
  expect(settings.get()).toEqual(named(null));
});

test('an updated display name survives a restart', async ({ tempDir }) => {
  const settings = openSettings(tempDir);
  await settings.load();

  expect(await settings.update(named(' Alice '))).toEqual(named('Alice'));
  expect(settings.get()).toEqual(named('Alice'));

  const restarted = openSettings(tempDir);
  expect(await restarted.load()).toEqual({ settings: named('Alice'), recovered: null });
  expect(JSON.parse(await readFile(path.join(tempDir, 'settings.json'), 'utf8'))).toEqual(named('Alice'));
});

test('an invalid update is refused and changes nothing', async ({ tempDir }) => {
  const settings = openSettings(tempDir);
  await settings.load();
  await settings.update(named('Alice'));

  await expect(settings.update(named(''))).rejects.toThrow(/empty/);
  await expect(settings.update({ displayName: 42 as unknown as string })).rejects.toThrow();

  expect(settings.get()).toEqual(named('Alice'));
  const restarted = openSettings(tempDir);
  expect((await restarted.load()).settings).toEqual(named('Alice'));
});

test('get() hands out a copy that cannot change the stored settings', async ({ tempDir }) => {
  const settings = openSettings(tempDir);
  await settings.load();

  const copy = settings.get();
  copy.displayName = 'Mallory';

  expect(settings.get()).toEqual(named(null));
});

test('using the store before load() is a clear error', async ({ tempDir }) => {
  const settings = openSettings(tempDir);

  expect(() => settings.get()).toThrow(/before load\(\)/);
  await expect(settings.update(named('Alice'))).rejects.toThrow(/before load\(\)/);
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

    expect(loaded.settings).toEqual(named(null));
    expect(loaded.recovered!.reason).toMatch(reason);
    expect(path.basename(loaded.recovered!.movedTo)).toMatch(/^settings\.corrupt-.+\.json$/);
    expect(await readFile(loaded.recovered!.movedTo, 'utf8')).toBe(original);

    await settings.update(named('Bob'));
    expect((await openSettings(tempDir).load()).settings).toEqual(named('Bob'));
    expect(await readFile(loaded.recovered!.movedTo, 'utf8')).toBe(original);
  });
}

test('overlapping updates end with the last one, in memory and on disk', async ({ tempDir }) => {
  const settings = openSettings(tempDir);
  await settings.load();

  await Promise.all(Array.from({ length: 20 }, (_, i) => settings.update(named(`Name ${i}`))));

  expect(settings.get()).toEqual(named('Name 19'));
  expect((await openSettings(tempDir).load()).settings).toEqual(named('Name 19'));
});

test('a settings file from before the keypad and device preferences loads with their defaults', async ({ tempDir }) => {
  await writeFile(path.join(tempDir, 'settings.json'), '{"displayName": "Alice"}');
  const settings = openSettings(tempDir);

  const loaded = await settings.load();

  expect(loaded).toEqual({ settings: named('Alice'), recovered: null });
  expect(loaded.settings.dtmf).toEqual({ toneMs: 100, gapMs: 70, pauseMs: 2000, feedback: true, extendedKeys: false, transport: 'auto' });
});

test('a keypad or device patch changes only the fields it names, and survives a restart', async ({ tempDir }) => {
  const settings = openSettings(tempDir);
  await settings.load();
  await settings.update({ displayName: 'Alice' });

  await settings.update({ dtmf: { toneMs: 40, gapMs: 30 } });
  const mic = { deviceId: 'abc', label: 'USB Headset' };
  const updated = await settings.update({ devices: { microphone: mic, echoCancellation: false } });

  const expected = named('Alice');
  expected.dtmf = { ...expected.dtmf, toneMs: 40, gapMs: 30 };
  expected.devices = { ...expected.devices, microphone: mic, echoCancellation: false };
  expect(updated).toEqual(expected);
  expect((await openSettings(tempDir).load()).settings).toEqual(expected);
});

test('a tone shorter than the browser allows is refused and changes nothing', async ({ tempDir }) => {
  const settings = openSettings(tempDir);
  await settings.load();

  await expect(settings.update({ dtmf: { toneMs: 39 } })).rejects.toThrow(/toneMs/);
  await expect(settings.update({ dtmf: { gapMs: 29 } })).rejects.toThrow(/gapMs/);

  expect(settings.get()).toEqual(named(null));
});
