// The app's life: one instance (a second launch hands its command line to the first and
// quits), links and --run reaching the running instance, closing to the tray, and a Quit that
// writes everything to disk before the process ends.
import path from 'node:path';
import { DEEP_LINK_SCHEME, parseDeepLink, type LaunchRequest } from '../core/desktop/deep-link.ts';
import { parseLaunchOptions } from '../core/desktop/launch-options.ts';
import type { PreventableEvent } from './window.ts';

export const APP_USER_MODEL_ID = 'com.aftlauncher.app';

export interface LifecycleApp {
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): unknown;
  on(
    event: 'second-instance',
    listener: (event: unknown, argv: string[], workingDirectory: string) => void,
  ): unknown;
  on(event: 'open-url', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'activate', listener: () => void): unknown;
  quit(): void;
  exit(exitCode?: number): void;
  requestSingleInstanceLock(): boolean;
  setAppUserModelId(id: string): void;
  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean;
}

/** True for the first instance; a second one should quit at once (its argv reaches the first). */
export function claimSingleInstance(app: Pick<LifecycleApp, 'requestSingleInstanceLock'>): boolean {
  return app.requestSingleInstanceLock();
}

/**
 * Windows needs an AppUserModelID for notifications to show and be attributed to the app;
 * links need the scheme registered. In development the OS must start Electron with the app's
 * folder, so the path and argument are given explicitly.
 */
export function registerWithDesktop(
  app: Pick<LifecycleApp, 'setAppUserModelId' | 'setAsDefaultProtocolClient'>,
  context: { platform: NodeJS.Platform; isPackaged: boolean; execPath: string; appPath: string },
): void {
  if (context.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  if (context.isPackaged) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  else {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, context.execPath, [
      path.resolve(context.appPath),
    ]);
  }
}

export interface LifecycleDeps {
  showWindow(): void;
  /** Lets the window close for real (it hides to the tray otherwise). */
  allowWindowClose(): void;
  /** Writes the stores to disk and stops background work. */
  shutdown(): Promise<void>;
  onLaunchRequest(request: LaunchRequest): void;
  onError(message: string, error: unknown): void;
  /** The longest Quit waits for the stores; the process ends after it either way. */
  shutdownTimeoutMs?: number;
}

export function installLifecycle(app: LifecycleApp, deps: LifecycleDeps): void {
  let shutdown: 'not-started' | 'running' | 'done' = 'not-started';

  app.on('before-quit', (event) => {
    deps.allowWindowClose();
    if (shutdown === 'done') return;
    event.preventDefault();
    if (shutdown === 'running') return;
    shutdown = 'running';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        deps.onError('Quit did not wait any longer for the stores to be written', undefined);
        resolve();
      }, deps.shutdownTimeoutMs ?? 5000);
    });
    Promise.race([deps.shutdown(), timeout])
      .catch((error: unknown) => deps.onError('Could not write everything to disk on Quit', error))
      .finally(() => {
        clearTimeout(timer);
        shutdown = 'done';
        app.quit();
      });
  });

  // The app lives in the tray: closing the last window must not quit it.
  app.on('window-all-closed', () => {});

  app.on('second-instance', (_event, argv) => {
    deps.showWindow();
    const request = parseLaunchOptions(argv).launchRequest;
    if (request) deps.onLaunchRequest(request);
  });

  // macOS delivers links as an event rather than on the command line.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    deps.showWindow();
    const request = parseDeepLink(url);
    if (request) deps.onLaunchRequest(request);
  });

  // macOS: clicking the Dock icon of a running app.
  app.on('activate', () => deps.showWindow());
}
