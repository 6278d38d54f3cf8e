/** Schema versions: older documents step up one version at a time; newer ones are left alone. */
import { expect, test } from '@playwright/test';
import { migrateDocument, type Migration } from '../../../main/core/document-migrations.ts';

const steps: Migration[] = [
  { from: 1, to: 2, up: (d) => ({ document: { ...d, b: 'added in 2' }, rejected: [] }) },
  { from: 2, to: 3, up: (d) => ({ document: { ...d, c: 'added in 3' }, rejected: [{ index: 0, reason: 'not carried over', entry: 'x' }] }) },
];

test('a current document passes through; an older one takes every step in turn', () => {
  expect(migrateDocument({ version: 3, a: 1 }, 3, steps)).toEqual({ status: 'current', document: { version: 3, a: 1 }, rejected: [] });
  expect(migrateDocument({ version: 1, a: 1 }, 3, steps)).toEqual({
    status: 'migrated',
    from: 1,
    document: { version: 3, a: 1, b: 'added in 2', c: 'added in 3' },
    rejected: [{ index: 0, reason: 'not carried over', entry: 'x' }],
  });
});

test('a newer version is reported, not changed; a document without a version or a missing step is unreadable', () => {
  expect(migrateDocument({ version: 4 }, 3, steps)).toEqual({ status: 'newer', version: 4 });
  expect(migrateDocument({ a: 1 }, 3, steps)).toEqual({ status: 'unreadable', reason: 'the file has no schema version' });
  expect(migrateDocument({ version: '2' }, 3, steps)).toEqual({ status: 'unreadable', reason: 'the file has no schema version' });
  expect(migrateDocument([1], 3, steps)).toEqual({ status: 'unreadable', reason: 'the file does not hold a JSON object' });
  expect(migrateDocument({ version: 1 }, 3, steps.slice(1))).toEqual({ status: 'unreadable', reason: 'this app cannot read schema version 1' });
});
