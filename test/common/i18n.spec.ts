/**
 * The German translation is complete: every string the code passes to t()
 * has a German entry in common/i18n/de.ts (plurals as _one and _other), and
 * de.ts has nothing the code no longer uses. Also the tray and the call
 * notification, in German.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { de } from '../../common/i18n/de.ts';
import { en } from '../../common/i18n/en.ts';
import { english, resolveLanguage, setLanguage, t, translatorFor } from '../../common/i18n/index.ts';
import { CallAttention, type Attention } from '../../main/core/alerts/call-attention.ts';
import { trayModel } from '../../main/core/desktop/tray-model.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCE_DIRS = ['common', 'main', 'renderer'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path.endsWith(join('common', 'i18n')) ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every literal key of a t('…'), t("…"), translate()('…') or toTranslate('…') call (a key must be a literal, so this finds them all). */
function usedKeys(): Map<string, string> {
  const keys = new Map<string, string>();
  const call = /(?:\bt|\btranslate\(\)|\btoTranslate)\(\s*(['"])((?:\\.|(?!\1)[^\\])*)\1/g;
  for (const file of SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(call)) keys.set(match[2]!.replace(/\\(.)/g, '$1'), file.slice(ROOT.length + 1));
  }
  return keys;
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

test('every string the code translates has a German translation, and no German one is unused', () => {
  const used = usedKeys();
  expect(used.size).toBeGreaterThan(300);
  const missing = [...used].filter(([key]) => !(key in de) && !(`${key}_one` in de && `${key}_other` in de)).map(([key, file]) => `${file}: ${key}`);
  expect(missing).toEqual([]);
  const unused = Object.keys(de).filter((key) => !used.has(key) && !(PLURAL.test(key) && used.has(key.replace(PLURAL, ''))));
  expect(unused).toEqual([]);
  // English plurals need their own forms (every other English string is its key).
  const plurals = Object.keys(de).filter((key) => key.endsWith('_one')).map((key) => key.replace(PLURAL, ''));
  for (const key of plurals) expect([`${key}_one` in en, `${key}_other` in en]).toEqual([true, true]);
  // Every {{placeholder}} of the English key is in the German text too.
  const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
  const wrong = Object.entries(de).filter(([key, value]) => !PLURAL.test(key) && placeholders(key).join() !== placeholders(value).join());
  expect(wrong).toEqual([]);
});

test('the language: the setting, or the system one; German for any de-*, English otherwise', () => {
  expect(resolveLanguage('system', 'de-AT')).toBe('de');
  expect(resolveLanguage('system', 'en-US')).toBe('en');
  expect(resolveLanguage('system', 'fr-FR')).toBe('en');
  expect(resolveLanguage('en', 'de-DE')).toBe('en');
  expect(resolveLanguage('de', 'en-US')).toBe('de');
  expect(resolveLanguage(undefined, undefined)).toBe('en');
});

test('the tray in German', () => {
  const model = trayModel({ connection: 'connected', signedInAs: 'Alice', doNotDisturb: 'off', unseenMissed: 2, t: translatorFor('de') });
  expect(model.tooltip).toBe('Softphone: Online als Alice · 2 verpasste Anrufe');
  expect(model.items.filter((i) => i.kind !== 'separator').map((i) => i.label)).toEqual([
    'Online als Alice',
    '2 verpasste Anrufe',
    'Softphone anzeigen',
    'Anrufe klingeln',
    'Nicht stören: Anrufe abweisen',
    'Nicht stören: lautlos klingeln',
    'Softphone beenden',
  ]);
  expect(trayModel({ connection: 'reconnecting', signedInAs: null, doNotDisturb: 'off', unseenMissed: 1, t: translatorFor('de') }).tooltip).toBe(
    'Softphone: Verbinde… · 1 verpasster Anruf',
  );
});

test('the call notification and window title in German, and again when the language changes', () => {
  const applied: Attention[] = [];
  let language: 'en' | 'de' = 'de';
  const attention = new CallAttention((state) => applied.push(state), () => translatorFor(language));
  attention.windowInFront(false);
  attention.callEvent({ kind: 'incoming', callId: 'c1', account: 'app', from: 'alice', displayName: 'Alice', offer: { type: 'offer', sdp: 'v=0\r\n' }, video: true, trickle: true, features: [] });
  expect(applied.at(-1)).toEqual({
    notification: { callId: 'c1', title: 'Eingehender Anruf von Alice', body: 'Videoanruf' },
    flash: true,
    windowTitle: 'Eingehender Anruf von Alice – Softphone',
  });
  language = 'en';
  attention.languageChanged();
  expect(applied.at(-1)?.notification?.title).toBe('Incoming call from Alice');
});

test('a word looked up again reads as the first time, in the language now chosen, for the values now given', () => {
  setLanguage('en');
  expect(t('Call {{name}}', { name: 'Anna' })).toBe('Call Anna');
  expect(t('Call {{name}}', { name: 'Anna' })).toBe('Call Anna');
  expect(t('Call {{name}}', { name: 'Ben' })).toBe('Call Ben');
  expect(t('{{count}} missed', { count: 1 })).toBe(english('{{count}} missed', { count: 1 }));
  expect(t('{{count}} missed', { count: 2 })).toBe(english('{{count}} missed', { count: 2 }));
  setLanguage('de');
  expect(t('Call {{name}}', { name: 'Anna' })).toBe(translatorFor('de')('Call {{name}}', { name: 'Anna' }));
  expect(t('Call {{name}}', { name: 'Anna' })).not.toBe('Call Anna');
  setLanguage('en');
  expect(t('Call {{name}}', { name: 'Anna' })).toBe('Call Anna');
});
