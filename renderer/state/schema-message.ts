/**
 * A shared schema's message (common/i18n/schema-words.ts) in the user's
 * language: the English text is the key, or matches a key's {{values}}.
 * Any other text (zod's own, main's) is shown as it came.
 */
import { schemaTemplates } from '../../common/i18n/schema-words.ts';
import { t } from '../../common/i18n/index.ts';

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

export function schemaMessage(message: string): string {
  const templates = schemaTemplates();
  if (templates.has(message)) return t(message);
  for (const template of templates) {
    if (!template.includes('{{')) continue;
    const { regex, names } = patternOf(template);
    const match = regex.exec(message);
    if (match) return t(template, Object.fromEntries(names.map((name, index) => [name, match[index + 1]])));
  }
  return message;
}
