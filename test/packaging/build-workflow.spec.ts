/**
 * The CI workflow (.github/workflows/build.yml) parses as YAML and does what
 * the README promises: on Ubuntu, macOS and Windows it installs, type-checks,
 * runs the node tests and builds the installers; it uploads them; it signs
 * only with secrets and warns when it does not; tags publish a draft release.
 * GitHub's own run is the real proof; this catches a broken or gutted file.
 */
import { expect, test } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readYaml } from '../support/yaml.ts';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  needs?: string;
  if?: string;
  permissions?: Record<string, string>;
  strategy?: { 'fail-fast'?: boolean; matrix: { include: Array<Record<string, string>> } };
  steps: Step[];
}
interface Workflow {
  on: { push: { branches: string[]; tags: string[] }; pull_request: unknown };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflowFile = fileURLToPath(new URL('../../.github/workflows/build.yml', import.meta.url));
const workflow = readYaml(workflowFile) as Workflow;
const build = workflow.jobs.build!;
const runs = build.steps.map((s) => s.run ?? '').join('\n');
const indexOf = (predicate: (step: Step) => boolean, what: string) => {
  const index = build.steps.findIndex(predicate);
  expect(index, `${path.basename(workflowFile)}: no step that ${what}`).toBeGreaterThanOrEqual(0);
  return index;
};

test('runs on pushes, pull requests and v* tags, read-only by default', () => {
  expect(workflow.on.push.tags).toEqual(['v*']);
  expect(workflow.on).toHaveProperty('pull_request');
  expect(workflow.permissions).toEqual({ contents: 'read' });
});

test('one build job per OS: Ubuntu, macOS and Windows, none stopping the others', () => {
  const matrix = build.strategy!.matrix.include;
  expect(matrix.map((m) => m.os).sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
  expect(Object.fromEntries(matrix.map((m) => [m.os, m.platform]))).toEqual({ 'ubuntu-latest': 'linux', 'macos-latest': 'mac', 'windows-latest': 'win' });
  expect(build.strategy!['fail-fast']).toBe(false);
  expect(build['runs-on']).toBe('${{ matrix.os }}');
});

test('checks out, sets up Node, installs, type-checks, runs the node tests, then builds the installers, in that order', () => {
  const order = [
    indexOf((s) => s.uses?.startsWith('actions/checkout@') === true, 'checks out'),
    indexOf((s) => s.uses?.startsWith('actions/setup-node@') === true && s.with?.['node-version'] === 20, 'sets up Node 20'),
    indexOf((s) => /^npm ci\b/.test(s.run ?? ''), 'runs npm ci'),
    indexOf((s) => s.run === 'npm run typecheck', 'type-checks'),
    indexOf((s) => s.run === 'npm run build', 'builds the app'),
    indexOf((s) => s.run === 'npx playwright test --project=node', 'runs the node tests'),
    // Electron 45's tooling wants Node 22.12+.
    indexOf((s) => s.uses?.startsWith('actions/setup-node@') === true && s.with?.['node-version'] === 22, 'sets up Node 22 for packaging'),
    indexOf((s) => /npx electron-builder --\$\{\{ matrix\.platform \}\}/.test(s.run ?? ''), 'runs electron-builder for the OS'),
    indexOf((s) => s.uses?.startsWith('actions/upload-artifact@') === true, 'uploads the installers'),
  ];
  expect([...order].sort((a, b) => a - b)).toEqual(order);
});

test('uploads every installer and the update metadata of each OS', () => {
  const artifacts = Object.fromEntries(build.strategy!.matrix.include.map((m) => [m.platform, m.artifacts]));
  expect(artifacts.linux).toMatch(/\*\.AppImage[\s\S]*\*\.deb[\s\S]*\*\.rpm[\s\S]*latest-linux/);
  expect(artifacts.mac).toMatch(/\*\.dmg[\s\S]*\*\.zip[\s\S]*latest-mac\.yml/);
  expect(artifacts.win).toMatch(/\*\.exe[\s\S]*latest\.yml/);
  const upload = build.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
  expect(upload.with).toMatchObject({ path: '${{ matrix.artifacts }}', 'if-no-files-found': 'error' });
});

test('publishes only from v* tags, to the draft release made first; otherwise never', () => {
  expect(runs).toMatch(/refs\/tags\/v\*.*publish=always.*else publish=never/);
  expect(runs).toMatch(/--publish "\$publish"/);
  const draft = workflow.jobs['draft-release']!;
  expect(draft.if).toBe("startsWith(github.ref, 'refs/tags/v')");
  expect(draft.steps.map((s) => s.run ?? '').join('\n')).toMatch(/gh release create "\$GITHUB_REF_NAME" --draft/);
  expect(build.needs).toBe('draft-release');
  expect(build.if).toMatch(/!cancelled\(\)/);
});

test('signs and notarises with secrets when they exist, and warns loudly for each one skipped', () => {
  const installers = build.steps.find((s) => /npx electron-builder/.test(s.run ?? ''))!;
  for (const secret of ['CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID', 'WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD']) {
    expect(installers.env?.[secret], secret).toBe(`\${{ secrets.${secret} }}`);
  }
  expect(installers.env?.GH_TOKEN).toBe('${{ secrets.GITHUB_TOKEN }}');
  expect(runs).toMatch(/::warning title=macOS build NOT SIGNED::/);
  expect(runs).toMatch(/::warning title=macOS build NOT NOTARISED::/);
  expect(runs).toMatch(/::warning title=Windows build NOT SIGNED::/);
  // No secret is ever echoed.
  expect(runs).not.toMatch(/echo[^\n]*\$(CSC_KEY_PASSWORD|APPLE_APP_SPECIFIC_PASSWORD|WIN_CSC_KEY_PASSWORD|CSC_LINK|WIN_CSC_LINK)\b/);
});
