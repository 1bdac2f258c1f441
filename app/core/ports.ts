// The seams between the main-process services (plain TypeScript, tested in Node) and the
// Electron adapters in app/main that fill them. Nothing here may import Electron.
import type { IpcEventName, IpcEvents } from '../shared/ipc-contract.ts';
import type { Run, SavedJob } from '../shared/model.ts';

/**
 * Encrypts secrets (API keys, secret parameter values). In the app this is Electron's
 * safeStorage async API; tests use a reversible fake. Ciphertext is base64 text.
 */
export interface SecretCipher {
  isAvailable(): Promise<boolean>;
  encrypt(plainText: string): Promise<string>;
  decrypt(cipherText: string): Promise<string>;
  /** Linux: the safeStorage backend name (basic_text means no real protection). */
  backendName(): string | undefined;
}

/**
 * One JSON document on disk (the settings file). The app backs it with electron-store;
 * tests and the headless paths use the plain file implementation in core.
 */
export interface DocumentBackend {
  /** Where the document lives, for messages to the person. */
  readonly path: string;
  /** The parsed document, `undefined` when there is none yet; throws when it cannot be read or parsed. */
  read(): unknown;
  /** Replaces the document; must not leave a half-written file behind. */
  write(document: unknown): void;
  /**
   * Moves the current file aside as `<path>.<suffix>` (kept for the person, never deleted) and
   * returns the new path; `undefined` when there was no file. Used when the document cannot be
   * read, or before a migration rewrites it.
   */
  moveAside?(suffix: string): string | undefined;
  /**
   * The copy kept from the last successful write (`<path>.last-good`): parsed, `undefined` when
   * there is none; throws when it cannot be read or parsed either.
   */
  readLastGood?(): unknown;
}

/** Where main tells the world that something changed: the window, the tray, the notifier. */
export interface RunObserver {
  runUpdated(run: Run, job: SavedJob | undefined): void;
}

/** Sends an event to the window (if there is one). */
export type WindowEventSink = <E extends IpcEventName>(name: E, payload: IpcEvents[E]) => void;
