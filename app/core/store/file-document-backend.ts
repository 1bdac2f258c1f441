// A JSON document in a plain file, written so that a crash or a full disk never leaves a
// half-written file: the bytes go to a temporary file that is flushed to disk and then renamed
// over the old one (rename is atomic on one file system). Every successful write also leaves a
// second copy, `<file>.last-good`, to start from when the file itself is found damaged.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentBackend } from '../ports.ts';

export interface FileDocumentBackendOptions {
  /** Indent the JSON (settings, which a person may read); history is written compactly. */
  pretty?: boolean;
}

let temporaryCounter = 0;

function writeAtomically(target: string, text: string): void {
  temporaryCounter += 1;
  const temporary = `${target}.tmp-${process.pid}-${temporaryCounter}`;
  const handle = fs.openSync(temporary, 'w', 0o600);
  try {
    fs.writeFileSync(handle, text, 'utf8');
    fs.fsyncSync(handle);
  } finally {
    fs.closeSync(handle);
  }
  try {
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

function syncDirectory(directory: string): void {
  // Makes the rename itself durable; not every platform can open a directory (Windows).
  try {
    const handle = fs.openSync(directory, 'r');
    try {
      fs.fsyncSync(handle);
    } finally {
      fs.closeSync(handle);
    }
  } catch {
    // Best effort: the data itself was already flushed.
  }
}

/** The file's JSON, or undefined when there is no file; throws when it is not JSON. */
export function readJsonFile(file: string): unknown {
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  return JSON.parse(text) as unknown;
}

/** DocumentBackend.moveAside for a document kept in one file. */
export function moveFileAside(file: string, suffix: string): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  const destination = `${file}.${suffix}`;
  fs.renameSync(file, destination);
  return destination;
}

/**
 * Temporary files left by a write that died before its rename hold nothing the document lacks
 * that was ever confirmed (the rename is the commit), so they are removed at start.
 */
function removeAbandonedTemporaries(file: string): void {
  // The document's own and its last good copy's (both written by writeAtomically).
  const prefixes = [`${path.basename(file)}.tmp-`, `${path.basename(file)}.last-good.tmp-`];
  let names: string[];
  try {
    names = fs.readdirSync(path.dirname(file));
  } catch {
    return; // No folder yet: nothing was ever written.
  }
  for (const name of names) {
    if (prefixes.some((prefix) => name.startsWith(prefix)))
      fs.rmSync(path.join(path.dirname(file), name), { force: true });
  }
}

export function createFileDocumentBackend(
  file: string,
  options: FileDocumentBackendOptions = {},
): Required<DocumentBackend> {
  const lastGood = `${file}.last-good`;
  const directory = path.dirname(file);
  removeAbandonedTemporaries(file);
  return {
    path: file,
    read: () => readJsonFile(file),
    readLastGood: () => readJsonFile(lastGood),
    write(document) {
      const text = options.pretty
        ? `${JSON.stringify(document, null, 2)}\n`
        : JSON.stringify(document);
      fs.mkdirSync(directory, { recursive: true });
      writeAtomically(file, text);
      writeAtomically(lastGood, text);
      syncDirectory(directory);
    },
    moveAside: (suffix) => moveFileAside(file, suffix),
  };
}
