/**
 * Avatar colours: the same name always gets the same one, names spread over
 * all of them, and every one the theme defines keeps its letters readable
 * (4.5:1) in the light and the dark theme.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { AVATAR_COLOURS, avatarColourOf } from '../../../renderer/avatar/avatar-colour.ts';
import { contrastRatio } from '../../support/contrast.ts';

const PAGE_CSS = readFileSync(join(import.meta.dirname, '..', '..', '..', 'renderer', 'page.css'), 'utf8');

/** The custom properties of one block of page.css: the light :root, or the dark one inside the media query. */
function themeVariables(scheme: 'light' | 'dark'): Map<string, string> {
  const darkStart = PAGE_CSS.indexOf('@media (prefers-color-scheme: dark)');
  const block = scheme === 'light' ? PAGE_CSS.slice(0, darkStart) : PAGE_CSS.slice(darkStart);
  return new Map([...block.matchAll(/(--sp-[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

test('the same name, however written, gets the same colour; colours are 1…AVATAR_COLOURS', () => {
  expect(avatarColourOf('Anna Berg')).toBe(avatarColourOf('anna  berg '));
  expect(avatarColourOf('Émile')).toBe(avatarColourOf('E\u0301mile'));
  for (const name of ['', 'Bob', '+49 30 1234567', '王小明']) {
    const colour = avatarColourOf(name);
    expect(colour).toBeGreaterThanOrEqual(1);
    expect(colour).toBeLessThanOrEqual(AVATAR_COLOURS);
  }
});

test('a hundred names use every colour, none for more than a quarter of them', () => {
  const counts = new Map<number, number>();
  for (let i = 0; i < 100; i++) {
    const colour = avatarColourOf(`Person ${i}`);
    counts.set(colour, (counts.get(colour) ?? 0) + 1);
  }
  expect(counts.size).toBe(AVATAR_COLOURS);
  expect(Math.max(...counts.values())).toBeLessThanOrEqual(25);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`every avatar colour keeps its letters at 4.5:1 or more (${scheme} theme)`, () => {
    const vars = themeVariables(scheme);
    const ink = vars.get('--sp-on-avatar');
    expect(ink).toMatch(/^#[0-9a-f]{6}$/i);
    const ratios = Array.from({ length: AVATAR_COLOURS }, (_, i) => {
      const background = vars.get(`--sp-avatar-${i + 1}`);
      expect(background, `--sp-avatar-${i + 1} in the ${scheme} theme`).toMatch(/^#[0-9a-f]{6}$/i);
      return [`--sp-avatar-${i + 1}`, contrastRatio(ink!, background!)] as const;
    });
    expect(ratios.filter(([, ratio]) => ratio < 4.5)).toEqual([]);
  });
}
