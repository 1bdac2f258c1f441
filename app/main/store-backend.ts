// DocumentBackend over electron-store: the settings document is the store's whole content.
// clearInvalidConfig stays off so that a corrupt file throws here and the services keep a
// backup and recover, instead of electron-store silently replacing it with an empty one.
import fs from 'node:fs';
import path from 'node:path';
import type { DocumentBackend } from '../core/ports.ts';
import { moveFileAside, readJsonFile } from '../core/store/file-document-backend.ts';

export interface StoreOptions {
  name: string;
  cwd: string;
  clearInvalidConfig: false;
}

export interface StoreLike {
  readonly path: string;
  store: Record<string, unknown>;
}

export type StoreConstructor = new (options: StoreOptions) => StoreLike;

export function createStoreBackend(
  Store: StoreConstructor,
  options: { name: string; directory: string },
): Required<DocumentBackend> {
  // The store reads its file when constructed, so it is made on first use, where a corrupt
  // file's error reaches the services' read() rather than the app's start-up.
  let store: StoreLike | undefined;
  const open = () =>
    (store ??= new Store({
      name: options.name,
      cwd: options.directory,
      clearInvalidConfig: false,
    }));
  const file = path.join(options.directory, `${options.name}.json`);
  const lastGood = `${file}.last-good`;
  return {
    path: file,
    read() {
      if (!fs.existsSync(file)) return undefined;
      return open().store;
    },
    write(document) {
      if (typeof document !== 'object' || document === null || Array.isArray(document)) {
        throw new TypeError('The settings document must be a JSON object.');
      }
      open().store = document as Record<string, unknown>;
      // The copy the services start from if the file is later found damaged; written to a
      // temporary name and renamed so that it is never half-written either.
      const temporary = `${lastGood}.tmp-${process.pid}`;
      fs.copyFileSync(file, temporary);
      fs.renameSync(temporary, lastGood);
    },
    readLastGood: () => readJsonFile(lastGood),
    moveAside: (suffix) => moveFileAside(file, suffix),
  };
}
