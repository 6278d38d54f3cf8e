/** The letters an avatar shows: first and last name, accents kept, titles, emoji, numbers, other scripts. */
import { expect, test } from '@playwright/test';
import { initialsOf } from '../../../renderer/avatar/initials.ts';

/** Each name with the initials it must show. */
function expectInitials(cases: Record<string, string>): void {
  const shown = Object.fromEntries(Object.keys(cases).map((name) => [name, initialsOf(name)]));
  expect(shown).toEqual(cases);
}

test('first and last name; one for a single name; in capitals', () => {
  expectInitials({ Alice: 'A', bob: 'B', 'Demo IVR': 'DI', 'Anna Maria Berg': 'AB', '  Erika   Mustermann  ': 'EM' });
});

test('titles, hyphenated names, "Last, First" and brackets', () => {
  expectInitials({
    'Dr. Anna-Lena Müller': 'AM',
    'Prof. Dr. Hans Meier': 'HM',
    'Dipl.-Ing. Jörg Weiß': 'JW',
    'Müller, Anna': 'AM',
    'Bob (work)': 'B',
    // A title that is all there is stays.
    'Dr.': 'D',
  });
});

test('accents stay with their letter, composed or not', () => {
  expectInitials({ 'Émile Zola': 'ÉZ', 'E\u0301mile Zola': 'ÉZ', 'zoë ångström': 'ZÅ', 'İlker Çelik': 'İÇ', ßabine: 'ß' });
});

test('emoji: skipped beside a name, shown when they are the whole name', () => {
  expectInitials({ '🦄 Unicorn Team': 'UT', 'Anna 🎉': 'A', '👩🏽‍💻 Dev': 'D', '🎉': '🎉', '👩🏽‍💻': '👩🏽‍💻' });
});

test('Cyrillic, Greek, Arabic; Chinese, Japanese and Korean names get one character', () => {
  expectInitials({
    'Иван Петров': 'ИП',
    иван: 'И',
    'Νίκος Παπαδόπουλος': 'ΝΠ',
    'محمد علي': 'مع',
    王小明: '王',
    '山田 太郎': '山',
    김민준: '김',
    'Anna 王': 'A',
  });
});

test('addresses by their user part; numbers and empty names have none (the avatar shows a person)', () => {
  expectInitials({
    'alice@pbx.example.org': 'A',
    'sip:anna.berg@pbx.example.org': 'AB',
    'sips:front_desk@pbx.example.org': 'FD',
    '+49 30 1234567': '',
    'sip:1001@pbx.example.org': '',
    'tel:+4930123': '',
    '*86': '',
    '': '',
    '   ': '',
  });
});
