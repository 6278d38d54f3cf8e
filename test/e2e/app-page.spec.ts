/**
 * The app page under its Content Security Policy, in Chromium, served by the
 * same responder as Electron's app:// handler: it renders, the components'
 * styles (Lit's constructable stylesheets) apply, and Chromium reports no
 * CSP violation. The policy allows no inline script or style at all.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '../support/browser-fixtures.ts';
import { RENDERER_DIR } from '../support/renderer-server.ts';

/** The policy as the built page declares it, directive by directive. */
function builtPolicy(): Map<string, string[]> {
  const html = readFileSync(path.join(RENDERER_DIR, 'index.html'), 'utf8');
  const content = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  if (!content) throw new Error('dist/renderer/index.html declares no Content-Security-Policy');
  return new Map(
    content
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

test('the built page has no inline script or style, and its policy allows none', () => {
  const html = readFileSync(path.join(RENDERER_DIR, 'index.html'), 'utf8');
  // Every <script> loads a file; no inline code, no inline handlers, no style attributes or elements.
  for (const script of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    expect(script[1], script[0]).toMatch(/\bsrc="/);
    expect(script[2]!.trim(), script[0]).toBe('');
  }
  expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/<style\b|\sstyle\s*=/i);

  const policy = builtPolicy();
  expect(policy.get('default-src')).toEqual(["'none'"]);
  expect(policy.get('script-src')).toEqual(["'self'"]);
  expect(policy.get('style-src')).toEqual(["'self'"]);
  expect(policy.get('base-uri')).toEqual(["'none'"]);
  expect(policy.get('object-src') ?? policy.get('default-src')).toEqual(["'none'"]);
  for (const [directive, values] of policy) {
    for (const loose of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", '*', 'file:', 'http:', 'https:']) {
      expect(values, `${directive} allows ${loose}`).not.toContain(loose);
    }
  }
});

test('the page renders with its component styles and Chromium reports no CSP violation', async ({ openSoftphone }) => {
  const { page } = await openSoftphone({ signInAs: 'Alice' });
  const consoleViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) consoleViolations.push(message.text());
  });
  // The harness opened the page already: reload with a listener in place from the first byte.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  await page.reload();

  await expect(page.getByRole('button', { name: /settings/i }).first()).toBeVisible();
  // Lit's styles reached the shadow root: the app host is a grid, not the default inline box.
  expect(await page.locator('softphone-app').evaluate((host) => getComputedStyle(host).display)).toBe('grid');
  expect(await page.locator('softphone-app').evaluate((host) => (host.shadowRoot?.adoptedStyleSheets.length ?? 0) > 0)).toBe(true);

  // An inline script the page did not ship is blocked and reported: the check itself works.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.head.append(script);
  });
  await expect.poll(() => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([
    expect.stringMatching(/^script-src(-elem)? inline$/),
  ]);
  expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
  // Nothing else: the app itself caused no violation.
  expect(consoleViolations.filter((text) => !/inline/i.test(text))).toEqual([]);
});
