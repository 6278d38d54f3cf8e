import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createContactsStore } from '../../../main/core/contacts-store.ts';
import { createCapturingLogger } from '../../support/capturing-logger.ts';
import { expect, test } from '../../support/temp-dir.ts';

function openContacts(userDataDir: string, now = () => new Date('2026-11-22T10:00:00.000Z')) {
  return createContactsStore({ userDataDir, log: createCapturingLogger().log, now });
}

test('a new profile has no contacts and nothing to recover', async ({ tempDir }) => {
  const contacts = openContacts(tempDir);

  expect(await contacts.load()).toEqual({ names: [], recovered: null });
  expect(contacts.list()).toEqual([]);
});

test('contacts survive a restart, in the order they were added, with when they were added', async ({ tempDir }) => {
  const contacts = openContacts(tempDir);
  await contacts.load();
  await contacts.add('Bob');
  await contacts.add('Alice');

  const restarted = openContacts(tempDir);
  expect(await restarted.load()).toEqual({ names: ['Bob', 'Alice'], recovered: null });
  expect(restarted.list()).toEqual(['Bob', 'Alice']);
  expect(JSON.parse(await readFile(path.join(tempDir, 'contacts.json'), 'utf8'))).toEqual({
    version: 1,
    contacts: [
      { name: 'Bob', addedAt: '2026-11-22T10:00:00.000Z', postDial: '', sequences: [] },
      { name: 'Alice', addedAt: '2026-11-22T10:00:00.000Z', postDial: '', sequences: [] },
    ],
  });
});

test('a contact keeps post-dial digits and named key sequences across a restart', async ({ tempDir }) => {
  const contacts = openContacts(tempDir);
  await contacts.load();
  await contacts.add('Demo IVR');

  const pin = { label: 'Conference PIN', tones: '4711#' };
  expect(await contacts.update('Demo IVR', { postDial: ',,1,,2#', sequences: [pin] })).toBe(true);
  expect(await contacts.update('Nobody', { postDial: ',1' })).toBe(false);
  await expect(contacts.update('Demo IVR', { postDial: ',,1x' })).rejects.toThrow(/0-9/);

  const restarted = openContacts(tempDir);
  await restarted.load();
  expect(restarted.entries()).toEqual([{ name: 'Demo IVR', postDial: ',,1,,2#', sequences: [pin] }]);
});

test('a contacts file from before post-dial digits loads, with none', async ({ tempDir }) => {
  await writeFile(
    path.join(tempDir, 'contacts.json'),
    JSON.stringify({ version: 1, contacts: [{ name: 'Bob', addedAt: '2026-11-22T10:00:00.000Z' }] }),
  );
  const contacts = openContacts(tempDir);

  expect(await contacts.load()).toEqual({ names: ['Bob'], recovered: null });
  expect(contacts.entries()).toEqual([{ name: 'Bob', postDial: '', sequences: [] }]);
});

test('add and remove say whether they changed anything, and names are case-sensitive', async ({ tempDir }) => {
  const contacts = openContacts(tempDir);
  await contacts.load();

  expect(await contacts.add('Alice')).toBe(true);
  expect(await contacts.add('Alice')).toBe(false);
  expect(await contacts.add('alice')).toBe(true);
  expect(contacts.list()).toEqual(['Alice', 'alice']);

  expect(await contacts.remove('ALICE')).toBe(false);
  expect(await contacts.remove('Alice')).toBe(true);
  expect(await contacts.remove('Alice')).toBe(false);
  expect(contacts.list()).toEqual(['alice']);

  const restarted = openContacts(tempDir);
  await restarted.load();
  expect(restarted.list()).toEqual(['alice']);
});

test('names are stored as the protocol shows them: surrounding spaces trimmed', async ({ tempDir }) => {
  const contacts = openContacts(tempDir);
  await contacts.load();

  expect(await contacts.add('  Carol ')).toBe(true);
  expect(await contacts.add('Carol')).toBe(false);
  expect(contacts.list()).toEqual(['Carol']);
});

test('invalid names are refused and nothing is saved', async ({ tempDir }) => {
  const contacts = openContacts(tempDir);
  await contacts.load();

  await expect(contacts.add('')).rejects.toThrow(/empty/);
  await expect(contacts.add('x'.repeat(33))).rejects.toThrow(/32 characters/);
  await expect(contacts.add('bell\u0007')).rejects.toThrow(/control characters/);

  expect(contacts.list()).toEqual([]);
  expect(await readdir(tempDir)).toEqual([]);
});

test('using the store before load() is a clear error', async ({ tempDir }) => {
  const contacts = openContacts(tempDir);

  expect(() => contacts.list()).toThrow(/before load\(\)/);
  await expect(contacts.add('Alice')).rejects.toThrow(/before load\(\)/);
});

test('a corrupt contacts file is kept aside, reported, and the list starts empty and works', async ({ tempDir }) => {
  const filePath = path.join(tempDir, 'contacts.json');
  const original = '{"version":1,"contacts":[{"name":"Bob","addedAt":"2026-';
  await writeFile(filePath, original);
  const contacts = openContacts(tempDir);

  const { names, recovered } = await contacts.load();

  expect(names).toEqual([]);
  expect(recovered!.reason).toMatch(/not valid JSON/);
  expect(path.basename(recovered!.movedTo)).toMatch(/^contacts\.corrupt-.+\.json$/);
  expect(await readFile(recovered!.movedTo, 'utf8')).toBe(original);

  await contacts.add('Dave');
  const restarted = openContacts(tempDir);
  expect(await restarted.load()).toEqual({ names: ['Dave'], recovered: null });
  expect(await readFile(recovered!.movedTo, 'utf8')).toBe(original);
});

for (const [what, content, reasonPart] of [
  ['an unknown version', { version: 2, contacts: [] }, 'version'],
  ['a contact without a date', { version: 1, contacts: [{ name: 'Bob' }] }, 'contacts.0.addedAt'],
  [
    'the same name twice',
    {
      version: 1,
      contacts: [
        { name: 'Bob', addedAt: '2026-01-01T00:00:00.000Z' },
        { name: 'Bob', addedAt: '2026-01-02T00:00:00.000Z' },
      ],
    },
    'unique',
  ],
] as const) {
  test(`a contacts file with ${what} is kept aside and reported`, async ({ tempDir }) => {
    const filePath = path.join(tempDir, 'contacts.json');
    const original = JSON.stringify(content);
    await writeFile(filePath, original);
    const contacts = openContacts(tempDir);

    const { names, recovered } = await contacts.load();

    expect(names).toEqual([]);
    expect(recovered!.reason).toContain(reasonPart);
    expect(await readFile(recovered!.movedTo, 'utf8')).toBe(original);
  });
}

test('overlapping adds and removes all reach the disk', async ({ tempDir }) => {
  const contacts = openContacts(tempDir);
  await contacts.load();
  const names = Array.from({ length: 25 }, (_, i) => `User ${i}`);

  await Promise.all([...names.map((name) => contacts.add(name)), contacts.remove('User 3'), contacts.remove('User 7')]);

  const expected = names.filter((name) => name !== 'User 3' && name !== 'User 7');
  expect(contacts.list()).toEqual(expected);
  const restarted = openContacts(tempDir);
  expect((await restarted.load()).names).toEqual(expected);
});
