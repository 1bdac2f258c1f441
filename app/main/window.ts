// The main window and every guard around web content: the renderer is treated as untrusted
// (it shows text from servers and links), so it gets no Node, no permissions, no navigation
// away from the app, no new windows and no webviews, and a strict Content-Security-Policy.
import type { BrowserWindowConstructorOptions } from 'electron';

/** The app's pages are served from this privileged custom scheme (see app-protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'aft';
/** The origin the trusted-sender check compares IPC senders against. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The same policy as the renderer's meta tag, sent as a header too so it cannot be skipped. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; " +
  "frame-ancestors 'none'";

export interface MainWindowOptionsInput {
  preloadPath: string;
  iconPath?: string;
}

export function mainWindowOptions(input: MainWindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 480,
    title: 'AFT! Launcher',
    // Shown once the page has painted, so the person never sees an empty frame.
    show: false,
    ...(input.iconPath ? { icon: input.iconPath } : {}),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}

/** Whether a URL is one of the app's own pages. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

export interface ShellLike {
  openExternal(url: string): Promise<void>;
}

/**
 * The only way the app opens anything outside itself: an https URL with a host and no
 * credentials (no file:, javascript:, custom schemes or `user:pass@`), in the default browser.
 * Returns whether it was opened.
 */
export function openExternalSafely(shell: ShellLike, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.hostname === '') return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  shell.openExternal(parsed.href).catch((error: unknown) => {
    console.error(`Could not open ${parsed.origin} in the browser:`, error);
  });
  return true;
}

export interface PreventableEvent {
  preventDefault(): void;
}

export interface SessionLike {
  setPermissionRequestHandler(
    handler: (
      webContents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl?: string },
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (webContents: unknown, permission: string, requestingOrigin: string) => boolean,
  ): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { url: string; responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void,
      ) => void,
    ): void;
  };
}

function withoutHeader(
  headers: Record<string, string[]> | undefined,
  name: string,
): Record<string, string[]> {
  const kept: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() !== name.toLowerCase()) kept[key] = value;
  }
  return kept;
}

/** Denies permissions and adds the CSP header to the app's pages, for one session. */
export function hardenSession(session: SessionLike): void {
  // No permission at all, even for the app's own pages: the clipboard is written by main
  // (app.copyText), so a compromised page could not read it or anything else.
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url)) {
      callback({});
      return;
    }
    callback({
      responseHeaders: {
        ...withoutHeader(details.responseHeaders, 'Content-Security-Policy'),
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
}

export interface GuardedWebContents {
  on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Keeps one web contents inside the app: navigation and redirects leave the app's origin never,
 * window.open and target=_blank links open (if https) in the browser instead, webviews are refused.
 */
export function guardWebContents(contents: GuardedWebContents, shell: ShellLike): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternalSafely(shell, url);
    return { action: 'deny' };
  });
}

export interface WebContentsCreatedSource {
  on(
    event: 'web-contents-created',
    listener: (event: unknown, contents: GuardedWebContents) => void,
  ): unknown;
}

/** Guards every web contents the app ever creates, not only the main window's. */
export function installWebContentsGuards(app: WebContentsCreatedSource, shell: ShellLike): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, shell));
}
