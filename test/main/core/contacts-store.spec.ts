import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Contact } from '../../../common/contact-schema.ts';
import { ContactsError, createContactsStore, type ContactsStoreOptions } from '../../../main/core/contacts-store.ts';
import { contactsLoadNotices } from '../../../main/core/softphone-core.ts';
import { createCapturingLogger } from '../../support/capturing-logger.ts';
import { savedContact } from '../../support/contact-fixtures.ts';
import { expect, test } from '../../support/temp-dir.ts';

const T0 = '2026-11-22T10:00:00.000Z';
const T1 = '2026-11-23T09:30:00.000Z';

function openContacts(userDataDir: string, options: Partial<ContactsStoreOptions> = {}) {
  let ids = 0;
  let time = T0;
  const store = createContactsStore({
    userDataDir,
    log: createCapturingLogger().log,
    now: () => new Date(time),
    newId: () => `contact-${String(++ids).padStart(4, '0')}`,
    ...options,
  });
  return Object.assign(store, { setTime: (at: string) => (time = at) });
}

const app = (value: string) => ({ kind: 'app' as const, value });
const fileOf = (dir: string) => path.join(dir, 'contacts.json');
const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as unknown;
/** What the store writes is sealed as it checked it (contacts-seal.ts). */
const SEAL = expect.stringMatching(/^[0-9a-f]{64}$/);

/** What ContactsError a promise rejected with. */
async function failure(promise: Promise<unknown>): Promise<ContactsError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ContactsError);
  return error as ContactsError;
}

test('a new profile has no contacts, nothing to report, and no file until something is saved', async ({ tempDir }) => {
  const contacts = openContacts(tempDir);

  const report = await contacts.load();

  expect(report).toEqual({
    contacts: [],
    recovered: null,
    migrated: null,
    rejected: null,
    unavailable: null,
    notWritten: null,
    staleTempFiles: [],
  });
  expect(contactsLoadNotices(report)).toEqual([]);
  expect(contacts.list()).toEqual([]);
  expect(await readdir(tempDir)).toEqual([]);
});

test('a contact with an app name, a SIP address and a phone number is saved normalised, with an id, and survives a restart', async ({ tempDir }) => {
  const contacts = openContacts(tempDir);
  await contacts.load();

  const bob = await contacts.add({
    name: '  Bob Müller ',
    addresses: [app('Bob'), { kind: 'sip', value: 'bob@pbx.example.org', label: 'Desk' }, { kind: 'tel', value: '+49 (30) 1234-5678', label: ' ' }],
    notes: 'Prefers mornings',
  });

  const expected: Contact = {
    id: 'contact-0001',
    name: 'Bob Müller',
    addresses: [app('Bob'), { kind: 'sip', value: 'sip:bob@pbx.example.org', label: 'Desk' }, { kind: 'tel', value: '+493012345678' }],
    favourite: false,
    notes: 'Prefers mornings',
    postDial: '',
    sequences: [],
    createdAt: T0,
    updatedAt: T0,
  };
  expect(bob).toEqual(expected);
  expect(await readJson(fileOf(tempDir))).toEqual({ version: 2, seal: SEAL, contacts: [expected] });

  const restarted = openContacts(tempDir);
  expect((await restarted.load()).contacts).toEqual([expected]);
  expect(restarted.get('contact-0001')).toEqual(expected);
});

test('a contact can be renamed and edited; what the patch leaves out stays, and updatedAt moves', async ({ tempDir }) => {
  const contacts = openContacts(tempDir);
  await contacts.load();
  const ivr = await contacts.add({ name: 'Demo IVR', addresses: [app('Demo IVR')] });
  contacts.setTime(T1);

  const pin = { label: 'Conference PIN', tones: '4711#' };
  const edited = await contacts.update(ivr.id, { name: 'Bank hotline', postDial: ',,1,,2#', sequences: [pin], favourite: true });

  expect(edited).toEqual({ ...ivr, name: 'Bank hotline', postDial: ',,1,,2#', sequences: [pin], favourite: true, updatedAt: T1 });
  expect(await contacts.update(ivr.id, { notes: 'Ask for Kim' })).toEqual({ ...edited, notes: 'Ask for Kim' });
  const restarted = openContacts(tempDir);
  await restarted.load();
  expect(restarted.list()).toEqual([{ ...edited, notes: 'Ask for Kim' }]);
});

test('invalid changes are refused in words and nothing is saved', async ({ tempDir }) => {
  const contacts = openContacts(tempDir);
  await contacts.load();
  const bob = await contacts.add({ name: 'Bob', addresses: [app('Bob')] });
  const before = await readFile(fileOf(tempDir), 'utf8');

  const cases: Array<[Promise<unknown>, RegExp]> = [
    [contacts.add({ name: '', addresses: [app('Bob')] }), /name: A contact needs a name/],
    [contacts.add({ name: 'x'.repeat(65), addresses: [app('Bob')] }), /at most 64 characters/],
    [contacts.add({ name: 'Nobody', addresses: [] }), /needs at least one address/],
    [contacts.add({ name: 'Many', addresses: Array.from({ length: 17 }, (_, i) => app(`User ${i}`)) }), /at most 16 addresses/],
    [contacts.add({ name: 'Twice', addresses: [app('Bob'), app('BOB')] }), /addresses\.1\.value: This address is already in the list/],
    [contacts.update(bob.id, { addresses: [{ kind: 'tel', value: 'call me' }] }), /A phone number can have only digits/],
    [contacts.update(bob.id, { notes: 'n'.repeat(2001) }), /Notes can be at most 2000 characters/],
    [contacts.update(bob.id, { postDial: ',,1x' }), /Use only 0-9, \*, #, A-D and , \(pause\)/],
    [contacts.update(bob.id, { sequences: [{ label: '', tones: '1' }] }), /A sequence needs a name/],
  ];
  for (const [attempt, message] of cases) {
    const error = await failure(attempt);
    expect(error.kind).toBe('invalid');
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/Too small|Too big|expected/);
  }

  expect((await failure(contacts.update('no-such-contact', { name: 'X' }))).kind).toBe('not-found');
  expect(contacts.list()).toEqual([bob]);
  expect(await readFile(fileOf(tempDir), 'utf8')).toBe(before);
});

test('remove hands back the contact, and restore puts it back with the same id (undo)', async ({ tempDir }) => {
  const contacts = openContacts(tempDir);
  await contacts.load();
  const bob = await contacts.add({ name: 'Bob', addresses: [app('Bob')], sequences: [{ label: 'PIN', tones: '1234#' }] });
  const carol = await contacts.add({ name: 'Carol', addresses: [{ kind: 'tel', value: '1001' }] });

  const removed = await contacts.remove(bob.id);
  expect(removed).toEqual(bob);
  expect(contacts.list()).toEqual([carol]);
  expect((await failure(contacts.remove(bob.id))).kind).toBe('not-found');

  expect(await contacts.restore(removed)).toEqual(bob);
  expect((await failure(contacts.restore(removed))).kind).toBe('exists');

  const restarted = openContacts(tempDir);
  await restarted.load();
  expect(restarted.get(bob.id)).toEqual(bob);
  expect(restarted.list()).toHaveLength(2);
});

test('using the store before load() is a clear error', async ({ tempDir }) => {
  const contacts = openContacts(tempDir);

  expect(() => contacts.list()).toThrow(/before load\(\)/);
  await expect(contacts.add({ name: 'Alice', addresses: [app('Alice')] })).rejects.toThrow(/before load\(\)/);
});

test('overlapping changes all reach the disk, in the order they were asked', async ({ tempDir }) => {
  const contacts = openContacts(tempDir);
  await contacts.load();
  const names = Array.from({ length: 25 }, (_, i) => `User ${i}`);

  const added = await Promise.all(names.map((name) => contacts.add({ name, addresses: [app(name)] })));
  await Promise.all([contacts.remove(added[3]!.id), contacts.update(added[7]!.id, { name: 'Seven' }), contacts.remove(added[9]!.id)]);

  const expected = names.filter((_, i) => i !== 3 && i !== 9).map((name) => (name === 'User 7' ? 'Seven' : name));
  expect(contacts.list().map((c) => c.name)).toEqual(expected);
  const restarted = openContacts(tempDir);
  expect((await restarted.load()).contacts.map((c) => c.name)).toEqual(expected);
});

test.describe('migration', () => {
  const v1 = {
    version: 1,
    contacts: [
      { name: 'Bob', addedAt: '2025-01-01T00:00:00.000Z' },
      { name: 'Demo IVR', addedAt: '2025-02-01T00:00:00.000Z', postDial: ',,1#', sequences: [{ label: 'PIN', tones: '4711#' }] },
    ],
  };

  test('a version 1 file becomes version 2: each name a contact with one app address, keys kept, the old file backed up', async ({ tempDir }) => {
    const original = JSON.stringify(v1);
    await writeFile(fileOf(tempDir), original);
    const contacts = openContacts(tempDir);

    const report = await contacts.load();

    expect(report.contacts).toEqual([
      { id: 'contact-0001', name: 'Bob', addresses: [app('Bob')], favourite: false, notes: '', postDial: '', sequences: [], createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z' },
      expect.objectContaining({ id: 'contact-0002', name: 'Demo IVR', addresses: [app('Demo IVR')], postDial: ',,1#', sequences: [{ label: 'PIN', tones: '4711#' }], createdAt: '2025-02-01T00:00:00.000Z' }),
    ]);
    expect(report.migrated!.from).toBe(1);
    expect(path.basename(report.migrated!.backup)).toMatch(/^contacts\.v1-backup-.+\.json$/);
    expect(await readFile(report.migrated!.backup, 'utf8')).toBe(original);
    expect(await readJson(fileOf(tempDir))).toEqual({ version: 2, seal: SEAL, contacts: report.contacts });
    expect(contactsLoadNotices(report)).toEqual([]);

    const again = openContacts(tempDir);
    const second = await again.load();
    expect(second.migrated).toBeNull();
    expect(second.contacts).toEqual(report.contacts);
  });

  test('a version 1 entry that does not check out is kept aside with why; the others migrate', async ({ tempDir }) => {
    const bad = { name: 'x'.repeat(40), addedAt: '2025-01-01T00:00:00.000Z' };
    await writeFile(fileOf(tempDir), JSON.stringify({ version: 1, contacts: [v1.contacts[0], bad] }));
    const contacts = openContacts(tempDir);

    const report = await contacts.load();

    expect(report.contacts.map((c) => c.name)).toEqual(['Bob']);
    expect(report.rejected!.entries).toEqual([{ index: 1, reason: expect.stringContaining('at most 32 characters') }]);
    expect(await readJson(report.rejected!.file)).toEqual({ from: 'contacts.json', entries: [{ index: 1, reason: expect.any(String), entry: bad }] });
  });

  test('a file from a newer version is refused with a clear message, left untouched, and the list is read-only', async ({ tempDir }) => {
    const future = `${JSON.stringify({ version: 3, contacts: [{ id: 'x', hologram: true }] })}\n`;
    await writeFile(fileOf(tempDir), future);
    const contacts = openContacts(tempDir);

    const report = await contacts.load();

    expect(report.contacts).toEqual([]);
    expect(report.unavailable).toMatch(/written by a newer version of Softphone \(contacts format 3; this version reads up to 2\)\. It was left as it is/);
    expect(contactsLoadNotices(report)).toEqual([{ level: 'error', text: expect.stringMatching(/^Your contacts are not available: contacts\.json was written by a newer version/) }]);
    const error = await failure(contacts.add({ name: 'Bob', addresses: [app('Bob')] }));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toMatch(/^Contacts cannot be changed: contacts\.json was written by a newer version/);
    expect(await readFile(fileOf(tempDir), 'utf8')).toBe(future);
    expect(await readdir(tempDir)).toEqual(['contacts.json']);
  });
});

test.describe('recovery', () => {
  const good = (id: string, name: string): Contact => savedContact(id, name);

  test('one bad entry keeps the good ones, and the bad one is kept aside with why and reported', async ({ tempDir }) => {
    const badSip = { ...good('contact-bad1', 'Eve'), addresses: [{ kind: 'sip', value: 'not a sip address' }] };
    const sameId = good('contact-0001', 'Mallory');
    await writeFile(fileOf(tempDir), JSON.stringify({ version: 2, contacts: [good('contact-0001', 'Alice'), badSip, good('contact-0002', 'Bob'), sameId] }));
    const contacts = openContacts(tempDir);

    const report = await contacts.load();

    expect(report.contacts.map((c) => c.name)).toEqual(['Alice', 'Bob']);
    expect(report.rejected!.entries).toEqual([
      { index: 1, reason: expect.stringContaining('addresses.0.value: A SIP address looks like sip:alice@pbx.example.org') },
      { index: 3, reason: 'id contact-0001 is used by an earlier contact' },
    ]);
    expect(path.basename(report.rejected!.file)).toMatch(/^contacts\.rejected-.+\.json$/);
    expect(await readJson(report.rejected!.file)).toEqual({
      from: 'contacts.json',
      entries: [
        { index: 1, reason: expect.any(String), entry: badSip },
        { index: 3, reason: expect.any(String), entry: sameId },
      ],
    });
    expect(await readJson(fileOf(tempDir))).toEqual({ version: 2, seal: SEAL, contacts: report.contacts });
    const [notice] = contactsLoadNotices(report);
    expect(notice).toEqual({ level: 'warning', text: expect.stringMatching(/^2 contacts in your contacts file could not be read \(entry 2: .*; entry 4: .*\)\. They were kept in contacts\.rejected-.+\.json; the others loaded\.$/) });

    // Loaded again, nothing more is set aside.
    expect((await openContacts(tempDir).load()).rejected).toBeNull();
  });

  for (const [what, content, reason] of [
    ['not JSON', '{"version":2,"contacts":[{"name":', /not valid JSON/],
    ['JSON without a version', '{"contacts":[]}', /no schema version/],
    ['a list instead of a document', '[1,2,3]', /does not hold a JSON object/],
    ['a document without a list of contacts', '{"version":2,"contacts":"Bob"}', /no list of contacts/],
  ] as const) {
    test(`a file that is ${what} is moved aside with its bytes, reported, and the list starts empty and works`, async ({ tempDir }) => {
      await writeFile(fileOf(tempDir), content);
      const contacts = openContacts(tempDir);

      const report = await contacts.load();

      expect(report.contacts).toEqual([]);
      expect(report.recovered!.reason).toMatch(reason);
      expect(path.basename(report.recovered!.movedTo)).toMatch(/^contacts\.corrupt-.+\.json$/);
      expect(await readFile(report.recovered!.movedTo, 'utf8')).toBe(content);
      expect(contactsLoadNotices(report)[0]!.text).toMatch(/^Your contacts file could not be read .* It was kept as contacts\.corrupt-/);
      await contacts.add({ name: 'Dave', addresses: [app('Dave')] });
      expect((await openContacts(tempDir).load()).contacts.map((c) => c.name)).toEqual(['Dave']);
    });
  }

  test('a contacts path that is a folder is a clear notice, not a failed start, and changes are refused in words', async ({ tempDir }) => {
    await mkdir(fileOf(tempDir));
    const contacts = openContacts(tempDir);

    const report = await contacts.load();

    expect(report.unavailable).toBe(`${fileOf(tempDir)} is a folder, not a file. Move or rename it, then restart the app.`);
    expect(contacts.list()).toEqual([]);
    expect(contactsLoadNotices(report)).toEqual([{ level: 'error', text: `Your contacts are not available: ${report.unavailable}` }]);
    expect((await failure(contacts.add({ name: 'Bob', addresses: [app('Bob')] }))).message).toMatch(/is a folder/);
    expect((await stat(fileOf(tempDir))).isDirectory()).toBe(true);
  });

  test('a file far too big is not read and left as it is, with a clear notice', async ({ tempDir }) => {
    const content = JSON.stringify({ version: 2, contacts: [good('contact-0001', 'Alice')] });
    await writeFile(fileOf(tempDir), content);
    const contacts = openContacts(tempDir, { maxFileBytes: 64 });

    const report = await contacts.load();

    expect(report.unavailable).toMatch(/^contacts\.json is \d+ bytes, far bigger than a contacts file gets, so it was not read and was left as it is/);
    expect(contacts.list()).toEqual([]);
    expect(await readFile(fileOf(tempDir), 'utf8')).toBe(content);
    expect((await failure(contacts.remove('contact-0001'))).kind).toBe('unavailable');
  });

  test('the default size limit is 50 MiB', async ({ tempDir }) => {
    const { DEFAULT_MAX_CONTACTS_FILE_BYTES } = await import('../../../main/core/contacts-store.ts');
    expect(DEFAULT_MAX_CONTACTS_FILE_BYTES).toBe(50 * 1024 * 1024);
    void tempDir;
  });

  test("temp files a killed save left (write-file-atomic's naming) are removed on start; other files stay", async ({ tempDir }) => {
    const filePath = fileOf(tempDir);
    // The library's own name for its next temp file, so a change of its naming shows up here.
    const libraryTemp = path.basename((writeFileAtomic as unknown as { _getTmpname(f: string): string })._getTmpname(filePath));
    expect(libraryTemp).toMatch(/^contacts\.json\.\d+$/);
    const stale = [libraryTemp, 'contacts.json.4294967295', 'contacts.json.0'];
    const unrelated = ['contacts.json.bak', 'contacts.json.12ab', 'settings.json.123', 'contacts.corrupt-2026.json'];
    for (const name of [...stale, ...unrelated]) await writeFile(path.join(tempDir, name), '{"version":2,"contacts":[');
    await writeFile(filePath, JSON.stringify({ version: 2, contacts: [good('contact-0001', 'Alice')] }));
    const contacts = openContacts(tempDir);

    const report = await contacts.load();

    expect(report.staleTempFiles.map((f) => path.basename(f)).sort()).toEqual([...stale].sort());
    expect(report.contacts.map((c) => c.name)).toEqual(['Alice']);
    expect((await readdir(tempDir)).sort()).toEqual(['contacts.json', ...unrelated].sort());
  });
});

test.describe('a save that fails', () => {
  test('on a full disk leaves memory and disk as they were and says why in words', async ({ tempDir }) => {
    let diskFull = false;
    const contacts = openContacts(tempDir, {
      writeAtomically: async (filePath, text) => {
        if (diskFull) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        await writeFileAtomic(filePath, text);
      },
    });
    await contacts.load();
    const bob = await contacts.add({ name: 'Bob', addresses: [app('Bob')] });
    const before = await readFile(fileOf(tempDir), 'utf8');
    diskFull = true;

    for (const attempt of [contacts.add({ name: 'Carol', addresses: [app('Carol')] }), contacts.update(bob.id, { name: 'Robert' }), contacts.remove(bob.id)]) {
      const error = await failure(attempt);
      expect(error.kind).toBe('save-failed');
      expect(error.message).toBe('Your contacts could not be saved (the disk is full), so the change was not made.');
    }
    expect(contacts.list()).toEqual([bob]);
    expect(await readFile(fileOf(tempDir), 'utf8')).toBe(before);

    diskFull = false;
    await contacts.update(bob.id, { name: 'Robert' });
    expect((await openContacts(tempDir).load()).contacts.map((c) => c.name)).toEqual(['Robert']);
  });

  test('in a read-only folder leaves memory and disk agreeing and says why in words', async ({ tempDir }) => {
    const folder = path.join(tempDir, 'profile');
    const contacts = openContacts(folder);
    await contacts.load();
    const bob = await contacts.add({ name: 'Bob', addresses: [app('Bob')] });
    const before = await readFile(fileOf(folder), 'utf8');

    // chmod does not stop root; the immutable attribute does (where the file system has it).
    const asRoot = process.getuid?.() === 0;
    let undo: () => Promise<void>;
    if (!asRoot) {
      await chmod(folder, 0o555);
      undo = () => chmod(folder, 0o755);
    } else {
      try {
        execFileSync('chattr', ['+i', folder], { stdio: 'pipe' });
      } catch (error) {
        test.skip(true, `running as root, where a read-only mode does not stop writes, and chattr +i is not available here (${(error as Error).message.split('\n')[0]})`);
        return;
      }
      undo = async () => void execFileSync('chattr', ['-i', folder]);
    }
    try {
      const error = await failure(contacts.add({ name: 'Carol', addresses: [app('Carol')] }));
      expect(error.kind).toBe('save-failed');
      expect(error.message).toBe(`Your contacts could not be saved (the app may not write in ${folder} (permission denied)), so the change was not made.`);
      expect(contacts.list()).toEqual([bob]);
      expect(await readFile(fileOf(folder), 'utf8')).toBe(before);
      expect(await readdir(folder)).toEqual(['contacts.json']);
    } finally {
      await undo();
    }
  });
});

test('a file as the app wrote it is read as it is; one edited by hand is checked in full, normalised, and sealed again', async ({ tempDir }) => {
  const store = openContacts(tempDir);
  await store.load();
  await store.add({ name: 'Bob', addresses: [{ kind: 'tel', value: '+49 30 1234567' }] });
  const written = await readFile(fileOf(tempDir), 'utf8');

  // Edited by hand: the number as people type it, the name with spaces around it. The seal no longer matches.
  await writeFile(fileOf(tempDir), written.replace('"+49301234567"', '"+49 (30) 1234567"').replace('"Bob"', '"  Bob  "'));
  const edited = await openContacts(tempDir).load();
  expect(edited.contacts).toEqual([expect.objectContaining({ name: 'Bob', addresses: [{ kind: 'tel', value: '+49301234567' }] })]);
  expect(await readFile(fileOf(tempDir), 'utf8')).toBe(written);

  // A sealed file whose contacts were changed without resealing is checked, and what does not check out is kept aside.
  await writeFile(fileOf(tempDir), written.replace('"+49301234567"', '"call me"'));
  const broken = await openContacts(tempDir).load();
  expect(broken.contacts).toEqual([]);
  expect(broken.rejected?.entries).toEqual([{ index: 0, reason: expect.stringContaining('A phone number can have only digits') }]);
});
