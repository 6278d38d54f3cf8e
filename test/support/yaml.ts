/**
 * Reads YAML with js-yaml (a devDependency, also what electron-builder and
 * electron-updater read their files with). It ships no types; this is the
 * one function the tests use.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string, options?: { filename?: string }): unknown };

export function readYaml(file: string): unknown {
  return load(readFileSync(file, 'utf8'), { filename: file });
}
