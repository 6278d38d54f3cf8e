/**
 * Messages made in English where the language is not known (the shared
 * schemas: contact, SIP account, settings, names, numbers, dial strings; the
 * contacts store), and put in the user's language where they are shown
 * (translateMarked). Main and the server keep the English in their logs and
 * replies. A marked message is its own i18next key, so German lives in de.ts
 * like every other word. What varies (a number the user typed, a limit) is
 * an interpolation value, so the key can be found again from the English.
 *
 * No i18next here: the server imports the schemas too.
 */
import type { Translate } from './index.ts';

const templates = new Set<string>();

/** A schema message to be translated where it is shown: `key` with its {{values}} filled in, in English. */
export function toTranslate(key: string, values?: Record<string, string | number>): string {
  templates.add(key);
  return values ? key.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole)) : key;
}

/** Every message marked so far (a schema marks its fixed messages when its module loads). */
export function schemaTemplates(): ReadonlySet<string> {
  return templates;
}

const patterns = new Map<string, { regex: RegExp; names: string[] }>();

function patternOf(template: string): { regex: RegExp; names: string[] } {
  let pattern = patterns.get(template);
  if (!pattern) {
    const names: string[] = [];
    const source = template
      .split(/(\{\{\w+\}\})/)
      .map((part) => {
        const name = /^\{\{(\w+)\}\}$/.exec(part)?.[1];
        if (!name) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(name);
        return '([\\s\\S]*?)';
      })
      .join('');
    pattern = { regex: new RegExp(`^${source}$`), names };
    patterns.set(template, pattern);
  }
  return pattern;
}

/** A marked message in the language of `t`: the English is the key, or fits a key's {{values}}; any other text comes back as it is. */
export function translateMarked(message: string, t: Translate): string {
  if (templates.has(message)) return t(message);
  for (const template of templates) {
    if (!template.includes('{{')) continue;
    const { regex, names } = patternOf(template);
    const match = regex.exec(message);
    if (match) return t(template, Object.fromEntries(names.map((name, index) => [name, match[index + 1]])));
  }
  return message;
}
