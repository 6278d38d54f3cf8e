/**
 * Runs Doyensec's Electronegativity (the scanner for Electron
 * misconfigurations) programmatically, offline, on a folder, and returns its
 * findings in plain terms.
 *
 * Two modules it loads are answered differently from how Node would:
 *
 * - `typescript`, when @typescript-eslint/typescript-estree asks for it.
 *   Electronegativity parses TypeScript with Babel and falls back to
 *   typescript-estree 4.x, which it loads up front, and which loads
 *   `typescript` for its compiler API. npm hoisted typescript-estree to the
 *   top of node_modules, where `typescript` is this project's TypeScript 7:
 *   a native compiler with no JavaScript API, so loading fails ("Cannot read
 *   properties of undefined (reading 'BarBarToken')"). It gets the TypeScript
 *   electronegativity itself depends on (4.2, nested in its own
 *   node_modules), the range its parser was written for.
 * - `got`, its HTTP client: at start it downloads fresh translations of its
 *   messages from S3, and one check downloads Electron's release list. A test
 *   must not reach the network (the suite runs where only loopback exists),
 *   so every download answers "not found": the messages come from its own
 *   English file, and the release check is switched off besides.
 */
import { realpathSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export type Severity = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH';

export interface Finding {
  /** The check's id, e.g. PRELOAD_JS_CHECK. */
  check: string;
  severity: Severity;
  confidence: 'TENTATIVE' | 'FIRM' | 'CERTAIN';
  /** Relative to the scanned folder, with "/" separators; null for a finding about the app as a whole. */
  file: string | null;
  /** 1-based; 0 when the finding has no place in a file. */
  line: number;
  description: string;
}

export interface ScanResult {
  findings: Finding[];
  /** Files it could not parse (their findings are missing). */
  errors: Array<{ file: string; message: string }>;
  checksRun: number;
}

/** Electronegativity's global check that downloads Electron's release list (by class name, as its options want it). */
const RELEASE_LIST_CHECK = 'AvailableSecurityFixesGlobalCheck';

interface RawIssue {
  id: string;
  file: string;
  location: { line: number };
  severity: { name: Severity };
  confidence: { name: Finding['confidence'] };
  description: string;
}
interface RawResult {
  issues: RawIssue[];
  errors: Array<{ file: string; message: string }>;
  globalChecks: number;
  atomicChecks: number;
}
type Run = (options: Record<string, unknown>) => Promise<RawResult>;

type ResolveFilename = (request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) => string;
type Load = (request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) => unknown;
const moduleInternals = Module as unknown as { _resolveFilename: ResolveFilename; _load: Load };

/** The "not found" every download of electronegativity gets. */
const offlineGot = async () => ({ statusCode: 404, body: '' });

/** Loads and runs electronegativity with its `typescript` and `got` answered as explained above. */
async function withOfflineElectronegativity<T>(use: (run: Run) => Promise<T>): Promise<T> {
  // node_modules may be a symlink: compare real paths, as Node's module filenames are.
  const electronegativityDir = realpathSync(path.dirname(require.resolve('@doyensec/electronegativity/package.json')));
  const itsTypescript = createRequire(path.join(electronegativityDir, 'package.json')).resolve('typescript');
  const insideOf = (parent: { filename?: string | null } | undefined, dir: string) => parent?.filename?.includes(dir) ?? false;
  const estreeDir = `${path.sep}@typescript-eslint${path.sep}`;

  const originalResolve = moduleInternals._resolveFilename;
  const originalLoad = moduleInternals._load;
  moduleInternals._resolveFilename = function (this: unknown, request, parent, ...rest) {
    if (request === 'typescript' && insideOf(parent, estreeDir)) return itsTypescript;
    return originalResolve.call(this, request, parent, ...rest);
  };
  moduleInternals._load = function (this: unknown, request, parent, ...rest) {
    if (request === 'got' && insideOf(parent, electronegativityDir)) return offlineGot;
    return originalLoad.call(this, request, parent, ...rest);
  };
  try {
    return await use(require('@doyensec/electronegativity') as Run);
  } finally {
    moduleInternals._resolveFilename = originalResolve;
    moduleInternals._load = originalLoad;
  }
}

/** Scans `dir` (sources and HTML) as an app of this project's Electron version. */
export async function scanWithElectronegativity(dir: string): Promise<ScanResult> {
  const electronVersion = (require('electron/package.json') as { version: string }).version;
  const raw = await withOfflineElectronegativity((run) =>
    run({
      input: dir,
      isRelative: true,
      // Checks whose defaults changed over the years need the real version (its guess from package.json finds none here).
      electronVersionOverride: electronVersion,
      excludeFromScan: [RELEASE_LIST_CHECK],
    }),
  );
  return {
    findings: raw.issues.map((issue) => ({
      check: issue.id,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      file: issue.file === 'N/A' ? null : issue.file.split(path.sep).join('/'),
      line: issue.location.line,
      description: issue.description,
    })),
    errors: raw.errors.map(({ file, message }) => ({ file, message })),
    checksRun: raw.globalChecks + raw.atomicChecks,
  };
}
