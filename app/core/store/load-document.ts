// Opens a versioned JSON document (settings, history) so that nothing the person had is ever
// silently dropped: a file that cannot be read or parsed, or that is not a document this
// version understands, is moved aside (kept, never deleted), the app starts from the copy of
// the last successful write, and a notice tells the person what happened and where the
// damaged file is. An older version is migrated step by step and the original kept.
import type { z } from 'zod';
import type { StartupNotice } from '../../shared/model.ts';
import type { DocumentBackend } from '../ports.ts';

export type Migration = (document: Record<string, unknown>) => Record<string, unknown>;

export interface DocumentSpec<T> {
  /** How the person knows the document, in messages: "settings", "run history". */
  title: string;
  currentVersion: number;
  /** `migrations[n]` turns a version-n document into version n+1. */
  migrations: Record<number, Migration>;
  schema: z.ZodType<T>;
  empty(): T;
}

export interface LoadedDocument<T> {
  document: T;
  notices: StartupNotice[];
}

/** A timestamp usable in a file name on every platform (no colons). */
export function fileStamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

function versionOf(document: Record<string, unknown>): number | undefined {
  const version = document.schemaVersion ?? document.version;
  return typeof version === 'number' && Number.isInteger(version) ? version : undefined;
}

function describeError(error: unknown): string {
  if (error instanceof SyntaxError) return `it is not valid JSON (${error.message})`;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return `it could not be read (${code})`;
  return error instanceof Error ? error.message : String(error);
}

type Upgraded<T> = { ok: true; document: T; fromVersion: number } | { ok: false; reason: string };

function upgrade<T>(raw: unknown, spec: DocumentSpec<T>): Upgraded<T> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, reason: 'it does not contain a JSON object' };
  }
  let document = raw as Record<string, unknown>;
  const fromVersion = versionOf(document);
  if (fromVersion === undefined) return { ok: false, reason: 'it has no schema version' };
  if (fromVersion > spec.currentVersion) {
    return {
      ok: false,
      reason: `it was written by a newer version of AFT! Launcher (format ${fromVersion}; this version reads up to ${spec.currentVersion})`,
    };
  }
  try {
    for (let version = fromVersion; version < spec.currentVersion; version += 1) {
      const migrate = spec.migrations[version];
      if (!migrate) return { ok: false, reason: `format ${version} cannot be upgraded` };
      document = migrate(document);
    }
  } catch (error) {
    return { ok: false, reason: `it could not be upgraded (${describeError(error)})` };
  }
  const parsed = spec.schema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return {
      ok: false,
      reason: `its content is not valid${where}: ${issue?.message ?? ''}`.trim(),
    };
  }
  return { ok: true, document: parsed.data, fromVersion };
}

function readLastGood<T>(
  backend: DocumentBackend,
  spec: DocumentSpec<T>,
): { document: T } | { problem: string } {
  if (!backend.readLastGood) return { problem: 'no copy of the last good version is kept' };
  let raw: unknown;
  try {
    raw = backend.readLastGood();
  } catch (error) {
    return { problem: `the last good copy is damaged too (${describeError(error)})` };
  }
  if (raw === undefined) return { problem: 'no copy of the last good version exists yet' };
  const upgraded = upgrade(raw, spec);
  if (!upgraded.ok)
    return { problem: `the last good copy is not usable either (${upgraded.reason})` };
  return { document: upgraded.document };
}

export function loadDocument<T>(
  backend: DocumentBackend,
  spec: DocumentSpec<T>,
  now: Date,
): LoadedDocument<T> {
  const stamp = fileStamp(now);
  let raw: unknown;
  let damage: string | undefined;
  try {
    raw = backend.read();
  } catch (error) {
    damage = describeError(error);
  }

  if (damage === undefined && raw === undefined) {
    // No file: a first start, or a crash between moving a file aside and writing its successor.
    const lastGood = backend.readLastGood ? readLastGood(backend, spec) : undefined;
    if (lastGood && 'document' in lastGood) {
      backend.write(lastGood.document);
      return {
        document: lastGood.document,
        notices: [
          {
            kind: 'settings-recovered',
            message: `The ${spec.title} file ${backend.path} was missing, so AFT! Launcher restored it from the last good copy.`,
          },
        ],
      };
    }
    return { document: spec.empty(), notices: [] };
  }

  if (damage === undefined) {
    const upgraded = upgrade(raw, spec);
    if (upgraded.ok) {
      if (upgraded.fromVersion === spec.currentVersion) {
        return { document: upgraded.document, notices: [] };
      }
      const backupPath = backend.moveAside?.(`v${upgraded.fromVersion}-backup-${stamp}`);
      backend.write(upgraded.document);
      const kept = backupPath ? ` The file as it was is kept at ${backupPath}.` : '';
      return {
        document: upgraded.document,
        notices: [
          {
            kind: 'settings-migrated',
            message: `Your ${spec.title} were upgraded from format ${upgraded.fromVersion} to format ${spec.currentVersion}.${kept}`,
            ...(backupPath ? { backupPath } : {}),
          },
        ],
      };
    }
    damage = upgraded.reason;
  }

  if (!backend.moveAside) {
    // Without a way to keep the damaged file, starting over would overwrite it: refuse.
    throw new Error(
      `The ${spec.title} file ${backend.path} cannot be used (${damage}) and cannot be set aside. Move it away, then start AFT! Launcher again.`,
    );
  }
  let backupPath: string | undefined;
  let keptWhere: string;
  try {
    backupPath = backend.moveAside(`corrupt-${stamp}`);
    keptWhere = backupPath ? `It was kept as ${backupPath}.` : '';
  } catch (error) {
    keptWhere = `It could not be moved aside (${describeError(error)}) and was left where it is.`;
  }
  const lastGood = readLastGood(backend, spec);
  if ('document' in lastGood) {
    backend.write(lastGood.document);
    return {
      document: lastGood.document,
      notices: [
        {
          kind: 'settings-recovered',
          message: `The ${spec.title} file could not be used: ${damage}. ${keptWhere} AFT! Launcher started from the last good copy, saved at the last successful change.`,
          ...(backupPath ? { backupPath } : {}),
        },
      ],
    };
  }
  return {
    document: spec.empty(),
    notices: [
      {
        kind: 'settings-recovered',
        message: `The ${spec.title} file could not be used: ${damage}. ${keptWhere} No good copy could be found (${lastGood.problem}), so AFT! Launcher started with empty ${spec.title}; the damaged file may still be repaired by hand.`,
        ...(backupPath ? { backupPath } : {}),
      },
    ],
  };
}
