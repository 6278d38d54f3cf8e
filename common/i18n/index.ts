/**
 * The app's words in English and German, for the renderer and the main
 * process alike (i18next). English source strings are the keys, so English
 * needs no resources except plural forms: `t('Call {{name}}', { name })`.
 * German lives in de.ts. Values are not escaped here: Lit escapes what it
 * renders, and Electron's menus and notifications take plain text.
 */
import i18next, { type TOptions } from 'i18next';
import { de } from './de.ts';
import { en } from './en.ts';

export type Language = 'en' | 'de';
export const LANGUAGE_SETTINGS = ['system', 'en', 'de'] as const;
export type LanguageSetting = (typeof LANGUAGE_SETTINGS)[number];

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** German when the setting (or, for 'system', the system's locale) starts with "de"; otherwise English. */
export function resolveLanguage(setting: LanguageSetting | undefined, systemLocale: string | undefined): Language {
  const tag = !setting || setting === 'system' ? (systemLocale ?? 'en') : setting;
  return tag.toLowerCase().startsWith('de') ? 'de' : 'en';
}

const instance = i18next.createInstance();
void instance.init({
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: ['en', 'de'],
  resources: { en: { translation: en }, de: { translation: de } },
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  returnEmptyString: false,
  initAsync: false,
} as Parameters<typeof instance.init>[0]);

/**
 * Words already looked up in the current language, by key and values. A list
 * of 10,000 contacts redraws its rows on every keystroke of a search, each
 * row asking for the same few words ("Call {{name}}"), and an i18next lookup
 * costs more than the rest of drawing the row. Bounded: emptied when full and
 * when the language changes (the resources themselves never change).
 */
const remembered = new Map<string, string>();
const MAX_REMEMBERED = 4000;
instance.on('languageChanged', () => remembered.clear());

/** What a lookup is remembered by; null for options that are not plain values (never the case today, but then it is not remembered). */
function lookupId(key: string, options: Record<string, unknown> | undefined): string | null {
  let id = key;
  if (options === undefined) return id;
  for (const name in options) {
    const value = options[name];
    // The type goes in too: { count: 1 } and { count: '1' } need not read alike.
    if (typeof value === 'string') id += `\u0000${name}\u0000s${value}`;
    else if (typeof value === 'number' || typeof value === 'boolean') id += `\u0000${name}\u0000${typeof value}${String(value)}`;
    else return null;
  }
  return id;
}

/** A word in the current language (the renderer's; main uses translatorFor). */
export const t: Translate = (key, options) => {
  const id = lookupId(key, options);
  const known = id === null ? undefined : remembered.get(id);
  if (known !== undefined) return known;
  const word = instance.t(key, options as TOptions) as string;
  if (id !== null) {
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(id, word);
  }
  return word;
};

/** A translator fixed to one language, whatever the current one is. */
export function translatorFor(language: Language): Translate {
  const fixed = instance.getFixedT(language);
  return (key, options) => fixed(key, options as TOptions) as string;
}

export const english: Translate = translatorFor('en');

export function currentLanguage(): Language {
  return instance.language === 'de' ? 'de' : 'en';
}

export function setLanguage(language: Language): void {
  if (instance.language !== language) void instance.changeLanguage(language);
}

export function onLanguageChanged(listener: (language: Language) => void): () => void {
  const handler = (language: string): void => listener(language === 'de' ? 'de' : 'en');
  instance.on('languageChanged', handler);
  return () => instance.off('languageChanged', handler);
}
