// Proof: the Electron security checklist, asserted on what the shell really builds (through the
// fake electron module the adapters take), plus an Electronegativity scan of app/ in which
// every finding must be explained in test/proof/electronegativity-explained.json.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAftBridge } from '../../app/preload/bridge-factory.ts';
import { createMainWindowController } from '../../app/main/main-window.ts';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  hardenSession,
  installWebContentsGuards,
  mainWindowOptions,
} from '../../app/main/window.ts';
import { IPC_EVENT_NAMES, ipcRequests } from '../../app/shared/ipc-contract.ts';
import { createFakeElectron, FakeEvent } from '../fakes/electron.ts';
import { printFigures } from './figures.ts';

const PRELOAD = '/opt/aft-launcher/resources/app.asar/dist/app/preload.cjs';

/** The shell as the composition root wires it: guards on every web contents, the main window. */
function buildShell() {
  const electron = createFakeElectron();
  installWebContentsGuards(electron.app, electron.shell);
  hardenSession(electron.session.defaultSession);
  const controller = createMainWindowController(electron, {
    options: mainWindowOptions({ preloadPath: PRELOAD }),
    url: APP_ENTRY_URL,
    onCreated: () => undefined,
    onSeen: () => undefined,
    firstHideHint: { alreadyShown: () => true, show: () => undefined },
    onLoadError: (error) => {
      throw error;
    },
  });
  controller.show();
  return electron;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mjs|js)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

function cspDirectives(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

const checklist: { item: string; ok: boolean }[] = [];
function record(item: string, ok: boolean): void {
  checklist.push({ item, ok });
  expect(ok, item).toBe(true);
}

describe('Electron checklist: windows', () => {
  const electron = buildShell();

  it('creates windows only through the main window controller', () => {
    const constructing = sourceFiles('app').filter((file) =>
      /new\s+[\w.]*BrowserWindow\s*\(/.test(readFileSync(file, 'utf8')),
    );
    record('BrowserWindow constructed in one place', constructing.length === 1);
    expect(constructing).toEqual([join('app', 'main', 'main-window.ts')]);
    const webPreferences = sourceFiles('app').filter((file) =>
      /webPreferences\s*:/.test(readFileSync(file, 'utf8')),
    );
    expect(webPreferences).toEqual([join('app', 'main', 'window.ts')]);
    expect(electron.windows.length).toBe(1);
  });

  it('gives every window isolated, sandboxed web preferences with the preload', () => {
    for (const window of electron.windows) {
      const preferences = (window.options as { webPreferences?: Record<string, unknown> })
        .webPreferences;
      expect(preferences).toBeDefined();
      record('contextIsolation: true', preferences?.contextIsolation === true);
      record('sandbox: true', preferences?.sandbox === true);
      record('nodeIntegration: false', preferences?.nodeIntegration === false);
      record('nodeIntegrationInWorker not true', preferences?.nodeIntegrationInWorker !== true);
      record(
        'nodeIntegrationInSubFrames not true',
        preferences?.nodeIntegrationInSubFrames !== true,
      );
      record('webSecurity not false', preferences?.webSecurity !== false);
      record(
        'allowRunningInsecureContent not true',
        preferences?.allowRunningInsecureContent !== true,
      );
      record('webviewTag not true', preferences?.webviewTag !== true);
      record('experimentalFeatures not true', preferences?.experimentalFeatures !== true);
      record('enableBlinkFeatures unset', preferences?.enableBlinkFeatures === undefined);
      record('preload set', preferences?.preload === PRELOAD);
      record('loadURL of the app origin only', window.loadedUrl === APP_ENTRY_URL);
    }
  });

  it('keeps every web contents in the app: navigation, redirects, new windows, webviews', () => {
    const contents = electron.windows[0]!.webContents;
    const foreign = [
      'https://evil.example/',
      'http://127.0.0.1:44399/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'app://other-host/index.html',
      'data:text/html,<script>alert(1)</script>',
    ];
    for (const url of foreign) {
      record(`will-navigate to ${url} denied`, !contents.tryNavigate('will-navigate', url));
      record(`will-redirect to ${url} denied`, !contents.tryNavigate('will-redirect', url));
    }
    expect(contents.tryNavigate('will-navigate', `${APP_ORIGIN}/index.html#/history`)).toBe(true);

    for (const url of [...foreign, 'https://aft.example.com/']) {
      record(`window.open ${url} denied`, contents.windowOpenHandler?.({ url }).action === 'deny');
    }
    // Only an https page goes to the browser; no other scheme is handed to the OS.
    expect(electron.openedExternally).toEqual([
      'https://evil.example/',
      'https://aft.example.com/',
    ]);

    const webview = new FakeEvent();
    contents.emit('will-attach-webview', webview);
    record('webview attach prevented', webview.defaultPrevented);
  });

  it('exposes only the contract to the page: one method per request, no generic invoke or send', () => {
    const bridge = createAftBridge({
      invoke: () => Promise.resolve(undefined),
      subscribe: () => () => undefined,
    }) as unknown as Record<string, Record<string, unknown>>;
    const exposed = Object.entries(bridge).flatMap(([namespace, methods]) =>
      Object.keys(methods).map((method) => `${namespace}.${method}`),
    );
    const expected = [
      ...Object.keys(ipcRequests),
      ...IPC_EVENT_NAMES.map((event) => `events.${event}`),
    ];
    expect(exposed.sort()).toEqual(expected.sort());
    record('bridge frozen', Object.isFrozen(bridge));
    const preload = readFileSync(join('app', 'preload', 'preload.ts'), 'utf8');
    record(
      'preload exposes only window.aft',
      (preload.match(/exposeInMainWorld\(/g) ?? []).length === 1 &&
        /exposeInMainWorld\(\s*'aft'/.test(preload),
    );
  });
});

describe('Electron checklist: session', () => {
  const electron = buildShell();
  const session = electron.session.defaultSession;

  it('denies permission requests and checks (only the app may write the clipboard)', () => {
    const permissions = [
      'media',
      'geolocation',
      'notifications',
      'midi',
      'midiSysex',
      'pointerLock',
      'fullscreen',
      'openExternal',
      'clipboard-read',
      'display-capture',
      'hid',
      'serial',
      'usb',
      'unknown',
    ];
    for (const permission of permissions) {
      for (const url of [`${APP_ORIGIN}/index.html`, 'https://evil.example/', 'file:///x']) {
        record(
          `request ${permission} from ${url} denied`,
          !session.requestPermission(permission, url),
        );
      }
      for (const origin of [APP_ORIGIN, 'https://evil.example', 'null']) {
        record(
          `check ${permission} from ${origin} denied`,
          session.permissionCheckHandler?.({}, permission, origin) === false,
        );
      }
    }
    record(
      'clipboard write denied to other origins',
      !session.requestPermission('clipboard-sanitized-write', 'https://evil.example/'),
    );
    record('device permissions denied', session.devicePermissionHandler?.() === false);
  });

  it('sends a strict CSP header on every app page, replacing any other', () => {
    const headers = session.respond({
      url: `${APP_ORIGIN}/index.html`,
      responseHeaders: { 'content-security-policy': ["default-src * 'unsafe-inline'"] },
    });
    const csp = Object.entries(headers ?? {}).filter(
      ([name]) => name.toLowerCase() === 'content-security-policy',
    );
    record('CSP header sent exactly once', csp.length === 1);
    expect(csp[0]?.[1]).toEqual([CONTENT_SECURITY_POLICY]);

    const directives = cspDirectives(CONTENT_SECURITY_POLICY);
    record("default-src 'none'", directives.get('default-src')?.join(' ') === "'none'");
    record("script-src 'self' only", directives.get('script-src')?.join(' ') === "'self'");
    for (const [name, sources] of directives) {
      for (const source of sources) {
        record(
          `${name} allows no ${source}`,
          !/^('unsafe-|\*|https?:$|http:|ws:|wss:|blob:)/.test(source) &&
            !(name !== 'img-src' && source === 'data:'),
        );
      }
    }
    for (const name of ['base-uri', 'form-action', 'frame-ancestors', 'connect-src']) {
      record(`${name} 'none'`, directives.get(name)?.join(' ') === "'none'");
    }
    // The page's own meta tag says the same, so no policy is weaker than the other.
    const html = readFileSync(join('renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    record('CSP meta tag of the renderer equals the header', meta === CONTENT_SECURITY_POLICY);
  });

  it('prints the checklist', () => {
    const failed = checklist.filter((entry) => !entry.ok);
    const areas = new Map<string, { items: number; failed: number }>();
    for (const entry of checklist) {
      const area = entry.item.split(' ')[0] ?? entry.item;
      const counts = areas.get(area) ?? { items: 0, failed: 0 };
      counts.items += 1;
      if (!entry.ok) counts.failed += 1;
      areas.set(area, counts);
    }
    printFigures(
      `electron checklist: ${checklist.length} items, ${failed.length} failed`,
      [...areas].map(([area, counts]) => ({ area, ...counts })),
    );
    expect(failed).toEqual([]);
  });
});

describe('Electronegativity', () => {
  it(
    'finds nothing in app/ that is not explained',
    () => {
      const result = spawnSync(process.execPath, ['scripts/electronegativity.mjs'], {
        encoding: 'utf8',
        timeout: 6 * 60 * 1000,
      });
      const output = `${result.stdout}${result.stderr}`;
      console.log(output.trim());
      // Exit 2 means the scan itself could not run (e.g. npx could not reach the registry):
      // that is a failure with its reason, never a pass.
      expect(result.status, output).toBe(0);
      expect(output).toMatch(
        /electronegativity: \d+ findings, \d+ explained, 0 unexplained, 0 stale/,
      );
    },
    7 * 60 * 1000,
  );
});
