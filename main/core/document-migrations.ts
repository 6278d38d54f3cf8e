/**
 * Schema versions for documents kept on disk, and the steps that bring an
 * older document up to the version this app writes.
 *
 * A document is a JSON object with an integer `version`. Each migration takes
 * one version to the next; it may refuse single entries it cannot carry over
 * (they are returned with the reason, so the caller can keep them aside),
 * never the whole document. A version newer than the app knows is not touched:
 * the caller must leave the file alone (an older app must not throw away what
 * a newer one wrote).
 */

/** An entry a migration or validation could not keep, with why, in words. */
export interface RejectedEntry {
  /** Its position in the file as it was read. */
  index: number;
  reason: string;
  /** Exactly what the file held. */
  entry: unknown;
}

export type DocumentObject = Record<string, unknown>;

export interface Migration {
  from: number;
  /** Always `from + 1`. */
  to: number;
  up(document: DocumentObject): { document: DocumentObject; rejected: RejectedEntry[] };
}

export type MigrationOutcome =
  | { status: 'current'; document: DocumentObject; rejected: RejectedEntry[] }
  | { status: 'migrated'; from: number; document: DocumentObject; rejected: RejectedEntry[] }
  /** Written by a newer app: leave it as it is. */
  | { status: 'newer'; version: number }
  /** Not a document of this kind at all, in words. */
  | { status: 'unreadable'; reason: string };

function isObject(value: unknown): value is DocumentObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Brings `raw` (parsed JSON) up to `current`, one migration at a time. */
export function migrateDocument(raw: unknown, current: number, migrations: readonly Migration[]): MigrationOutcome {
  if (!isObject(raw)) return { status: 'unreadable', reason: 'the file does not hold a JSON object' };
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { status: 'unreadable', reason: 'the file has no schema version' };
  }
  if (version > current) return { status: 'newer', version };

  let document = raw;
  const rejected: RejectedEntry[] = [];
  for (let at = version; at < current; at++) {
    const step = migrations.find((m) => m.from === at);
    if (!step || step.to !== at + 1) return { status: 'unreadable', reason: `this app cannot read schema version ${at}` };
    const result = step.up(document);
    document = { ...result.document, version: step.to };
    rejected.push(...result.rejected);
  }
  return version === current ? { status: 'current', document, rejected } : { status: 'migrated', from: version, document, rejected };
}
