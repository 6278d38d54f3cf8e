/**
 * Electronegativity over the app's code: main/, preload/, renderer/ and
 * common/, as sources (the built bundles lose comments and line numbers, and
 * an explanation belongs next to the code it explains). No finding above LOW
 * stands unless a comment next to the flagged code explains it:
 *
 *   // electronegativity: CHECK_ID — why this is safe here
 *
 * on the flagged line or in the comment lines right above it (`<!-- … -->`
 * in HTML). The comment names the check it answers, and each such comment
 * must still answer a finding, so none outlives the code it was about.
 * Electronegativity's own `eng-disable` comments are not used: they drop a
 * finding from its report, where these keep it in the table this prints.
 */
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanWithElectronegativity, type Finding } from '../support/electronegativity.ts';
import { expect, test } from '../support/temp-dir.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const APP_CODE = ['main', 'preload', 'renderer', 'common'];
/** Above this, a finding needs an explanation. */
const ALLOWED_SEVERITIES = new Set(['INFORMATIONAL', 'LOW']);

// The check id, a dash, and a reason of a few words at least.
const EXPLANATION = /electronegativity:\s*([A-Z][A-Z0-9_]*)\s+[—–-]+\s+(\S.{15,})/;
const MARKER = /electronegativity:\s*([A-Z][A-Z0-9_]*)/g;
const COMMENT_LINE = /^\s*(\/\/|\/\*|\*|<!--)/;

interface Reviewed extends Finding {
  explanation: string | null;
}

/** The comment text of a line, without its comment marks. */
const commentText = (line: string) => line.replace(/^\s*(\/\/|\/\*+|\*|<!--)\s*/, '').replace(/\s*(\*\/|-->)\s*$/, '');

/**
 * The explanation of `check` (1-based `line`) on the flagged line or in the
 * comment block right above it, with the comment lines that continue it.
 */
function explanationAt(lines: readonly string[], line: number, check: string): string | null {
  const flagged = line - 1;
  let top = flagged;
  while (top > 0 && COMMENT_LINE.test(lines[top - 1]!)) top--;
  for (let index = flagged; index >= top; index--) {
    const match = EXPLANATION.exec(lines[index]!);
    if (match?.[1] !== check) continue;
    const continued = index < flagged ? lines.slice(index + 1, flagged).map(commentText) : [];
    return [commentText(match[2]!), ...continued].join(' ');
  }
  return null;
}

/** Every file of the app's code, relative to the repository, with "/" separators. */
async function appCodeFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const folder of APP_CODE) {
    for (const entry of await readdir(path.join(repoRoot, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files.push(path.relative(repoRoot, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
    }
  }
  return files;
}

async function review(findings: Finding[]): Promise<Reviewed[]> {
  return Promise.all(
    findings.map(async (finding) => {
      if (!finding.file) return { ...finding, explanation: null };
      const lines = (await readFile(path.join(repoRoot, finding.file), 'utf8')).split('\n');
      return { ...finding, explanation: explanationAt(lines, finding.line, finding.check) };
    }),
  );
}

const shorten = (text: string, length = 100) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

function table(reviewed: Reviewed[]): string {
  const rows = reviewed.map((f) => [
    f.check,
    `${f.severity}/${f.confidence}`,
    f.file ? `${f.file}:${f.line}` : '(the app as a whole)',
    f.explanation ? `explained: ${shorten(f.explanation)}` : ALLOWED_SEVERITIES.has(f.severity) ? `${f.severity.toLowerCase()}, allowed: ${f.description}` : 'NOT EXPLAINED',
  ]);
  const header = ['check', 'severity/confidence', 'where', 'handled'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...rows.map(format)].join('\n');
}

test('the scanner reads this project’s TypeScript: a window without sandbox or context isolation is flagged', async ({ tempDir }) => {
  await writeFile(
    path.join(tempDir, 'window.ts'),
    "import { BrowserWindow } from 'electron';\n" +
      'export const open = (url: string): BrowserWindow => {\n' +
      '  const window = new BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: false } });\n' +
      '  void window.loadURL(url);\n' +
      '  return window satisfies BrowserWindow;\n' +
      '};\n',
  );
  const { findings, errors } = await scanWithElectronegativity(tempDir);
  expect(errors).toEqual([]);
  expect(findings.filter((f) => f.file === 'window.ts').map((f) => f.check)).toEqual(
    expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK']),
  );
});

test('no finding above LOW in the app’s code stands unexplained, and every explanation answers a finding', async ({ tempDir }) => {
  // A copy holding only the app's code: scanning the repository would take in tests, tools and the build.
  for (const folder of APP_CODE) await cp(path.join(repoRoot, folder), path.join(tempDir, folder), { recursive: true });
  const { findings, errors, checksRun } = await scanWithElectronegativity(tempDir);
  const reviewed = await review(findings);
  console.log(`Electronegativity: ${checksRun} checks over ${APP_CODE.join('/, ')}/\n${table(reviewed)}`);

  expect(errors, 'files electronegativity could not parse (their findings are missing)').toEqual([]);
  const unexplained = reviewed.filter((f) => !ALLOWED_SEVERITIES.has(f.severity) && !f.explanation);
  expect(unexplained, 'fix these, or explain them next to the code as "electronegativity: CHECK_ID — why"').toEqual([]);

  const answered = new Set(reviewed.filter((f) => f.explanation).map((f) => `${f.file} ${f.check}`));
  const stale: string[] = [];
  for (const file of await appCodeFiles()) {
    const text = await readFile(path.join(repoRoot, file), 'utf8');
    for (const [, check] of text.matchAll(MARKER)) if (!answered.has(`${file} ${check}`)) stale.push(`${file}: ${check}`);
  }
  expect(stale, 'explanations with no finding of their check next to them').toEqual([]);
});
