/**
 * The fixed messages of the shared schemas (contact, SIP account, settings,
 * names, numbers, dial strings). Main and the server keep them in English,
 * in their logs and replies; the renderer shows them in the user's language
 * (renderer/state/schema-message.ts). A message marked here is its own
 * i18next key, so German lives in de.ts like every other word. What varies
 * (a number the user typed, a limit) is an interpolation value, so the
 * renderer can find the key again from the English it receives.
 *
 * No i18next here: the server imports the schemas too.
 */
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
