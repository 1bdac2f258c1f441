// A loaded document held in memory and written back through its backend: at once for changes
// the person made (`save`), or coalesced for frequent ones such as run updates (`saveSoon`),
// so that thousands of status changes cost a handful of writes. `flush` writes what is pending
// (on quit). A failed background write is kept pending and retried, never dropped.
import type { StartupNotice } from '../../shared/model.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import type { DocumentBackend } from '../ports.ts';
import { loadDocument, type DocumentSpec } from './load-document.ts';

export const DEFAULT_WRITE_DELAY_MS = 1000;

export interface DocumentStoreOptions {
  clock: Clock;
  /** How long `saveSoon` waits to gather changes into one write. */
  writeDelayMs?: number;
  log?: (message: string) => void;
}

export interface DocumentStore<T> {
  readonly document: T;
  readonly notices: StartupNotice[];
  /** Writes now; throws when the write fails (the caller tells the person). */
  save(): void;
  /** Writes within the write delay, together with every other change until then. */
  saveSoon(): void;
  /** Writes pending changes now. */
  flush(): void;
  /**
   * Writes what is pending and stops the timer. A change that still arrives (the answer to a
   * launch in flight at quit) is written at once rather than lost.
   */
  dispose(): void;
}

export function openDocumentStore<T>(
  backend: DocumentBackend,
  spec: DocumentSpec<T>,
  options: DocumentStoreOptions,
): DocumentStore<T> {
  const { clock } = options;
  const writeDelayMs = options.writeDelayMs ?? DEFAULT_WRITE_DELAY_MS;
  const log = options.log ?? ((message: string) => console.error(message));
  const loaded = loadDocument(backend, spec, new Date(clock.now()));
  let timer: TimerHandle | undefined;
  let dirty = false;
  let disposed = false;

  function cancelTimer(): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  }

  function save(): void {
    cancelTimer();
    dirty = true;
    backend.write(loaded.document);
    dirty = false;
  }

  /** Writes now; on failure says so and returns false (the change stays pending). */
  function writeNowLoggingFailure(): boolean {
    try {
      save();
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log(`Could not write the ${spec.title} file ${backend.path}: ${reason}.`);
      return false;
    }
  }

  function writeInBackground(): void {
    timer = undefined;
    if (!dirty || writeNowLoggingFailure()) return;
    log(`Trying again to write the ${spec.title} file.`);
    timer = clock.setTimeout(writeInBackground, writeDelayMs * 5);
  }

  return {
    document: loaded.document,
    notices: loaded.notices,
    save,
    saveSoon() {
      dirty = true;
      if (disposed) writeNowLoggingFailure();
      else if (timer === undefined) timer = clock.setTimeout(writeInBackground, writeDelayMs);
    },
    flush() {
      if (dirty) save();
      else cancelTimer();
    },
    dispose() {
      disposed = true;
      if (dirty) writeNowLoggingFailure();
      cancelTimer();
    },
  };
}
