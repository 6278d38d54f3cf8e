/** The letters an avatar shows: first and last name, accents kept, titles, emoji, numbers, other scripts. */
import { expect, test } from '@playwright/test';
import { initialsOf } from '../../../renderer/avatar/initials.ts';

test('first and last name; one for a single name; in capitals', () => {
  expect(initialsOf('Alice')).toBe('A');
  expect(initialsOf('bob')).toBe('B');
  expect(initialsOf('Demo IVR')).toBe('DI');
  expect(initialsOf('Anna Maria Berg')).toBe('AB');
  expect(initialsOf('  Erika   Mustermann  ')).toBe('EM');
});

test('titles, hyphenated names, "Last, First" and brackets', () => {
  expect(initialsOf('Dr. Anna-Lena Müller')).toBe('AM');
  expect(initialsOf('Prof. Dr. Hans Meier')).toBe('HM');
  expect(initialsOf('Dipl.-Ing. Jörg Weiß')).toBe('JW');
  expect(initialsOf('Müller, Anna')).toBe('AM');
  expect(initialsOf('Bob (work)')).toBe('B');
  // A title that is all there is stays.
  expect(initialsOf('Dr.')).toBe('D');
});

test('accents stay with their letter, composed or not', () => {
  expect(initialsOf('Émile Zola')).toBe('ÉZ');
  expect(initialsOf('E\u0301mile Zola')).toBe('ÉZ');
  expect(initialsOf('zoë ångström')).toBe('ZÅ');
  expect(initialsOf('İlker Çelik')).toBe('İÇ');
  expect(initialsOf('ßabine')).toBe('ß');
});

test('emoji: skipped beside a name, shown when they are the whole name', () => {
  expect(initialsOf('🦄 Unicorn Team')).toBe('UT');
  expect(initialsOf('Anna 🎉')).toBe('A');
  expect(initialsOf('👩🏽‍💻 Dev')).toBe('D');
  expect(initialsOf('🎉')).toBe('🎉');
  expect(initialsOf('👩🏽‍💻')).toBe('👩🏽‍💻');
});

test('Cyrillic, Greek, Arabic; Chinese, Japanese and Korean names get one character', () => {
  expect(initialsOf('Иван Петров')).toBe('ИП');
  expect(initialsOf('иван')).toBe('И');
  expect(initialsOf('Νίκος Παπαδόπουλος')).toBe('ΝΠ');
  expect(initialsOf('محمد علي')).toBe('مع');
  expect(initialsOf('王小明')).toBe('王');
  expect(initialsOf('山田 太郎')).toBe('山');
  expect(initialsOf('김민준')).toBe('김');
  expect(initialsOf('Anna 王')).toBe('A');
});

test('addresses by their user part; numbers and empty names have none (the avatar shows a person)', () => {
  expect(initialsOf('alice@pbx.example.org')).toBe('A');
  expect(initialsOf('sip:anna.berg@pbx.example.org')).toBe('AB');
  expect(initialsOf('sips:front_desk@pbx.example.org')).toBe('FD');
  expect(initialsOf('+49 30 1234567')).toBe('');
  expect(initialsOf('sip:1001@pbx.example.org')).toBe('');
  expect(initialsOf('tel:+4930123')).toBe('');
  expect(initialsOf('*86')).toBe('');
  expect(initialsOf('')).toBe('');
  expect(initialsOf('   ')).toBe('');
});
