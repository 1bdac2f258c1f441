// The Electron checklist: web preferences, permissions, navigation, new windows, webviews, CSP.
import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  hardenSession,
  installWebContentsGuards,
  mainWindowOptions,
  openExternalSafely,
} from '../../app/main/window.ts';
import { createFakeElectron, FakeEvent } from '../fakes/electron.ts';
import { readFileSync } from 'node:fs';

describe('main window options', () => {
  it('isolate the renderer: sandbox, context isolation, no Node, no webview, web security on', () => {
    const options = mainWindowOptions({ preloadPath: '/app/dist/app/preload.cjs' });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/app/preload.cjs',
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
    });
    expect(options.show).toBe(false);
  });
});

describe('session hardening', () => {
  const electron = createFakeElectron();
  const session = electron.session.defaultSession;
  hardenSession(session);

  it('denies every permission request, from any page', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'clipboard-sanitized-write',
      'openExternal',
      'fullscreen',
    ]) {
      expect(session.requestPermission(permission, `${APP_ORIGIN}/index.html`)).toBe(false);
      expect(session.requestPermission(permission, 'https://evil.example/')).toBe(false);
    }
    expect(session.devicePermissionHandler?.()).toBe(false);
    for (const permission of ['clipboard-sanitized-write', 'clipboard-read', 'media'])
      expect(session.permissionCheckHandler?.({}, permission, APP_ORIGIN)).toBe(false);
  });

  it('puts the strict CSP on the app pages, replacing any other, and leaves other responses alone', () => {
    const headers = session.respond({
      url: `${APP_ORIGIN}/index.html`,
      responseHeaders: {
        'content-security-policy': ['default-src *'],
        'Content-Type': ['text/html'],
      },
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    const other = { 'Content-Type': ['application/json'] };
    expect(
      session.respond({ url: 'https://aft.example:44399/v1/jobs', responseHeaders: other }),
    ).toBe(other);
  });

  it('uses the same policy as the renderer page', () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    expect(html.replace(/\s+/g, ' ')).toContain(`content="${CONTENT_SECURITY_POLICY}"`);
  });
});

describe('web contents guards', () => {
  const electron = createFakeElectron();
  installWebContentsGuards(electron.app, electron.shell);
  const window = new electron.BrowserWindow(mainWindowOptions({ preloadPath: '/p.cjs' }));
  const contents = window.webContents;

  it('apply to every web contents the app creates', () => {
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(contents.windowOpenHandler).toBeDefined();
  });

  it('deny navigation and redirects away from the app', () => {
    expect(contents.tryNavigate('will-navigate', `${APP_ORIGIN}/index.html`)).toBe(true);
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'app://other/index.html',
      'not a url',
    ]) {
      expect(contents.tryNavigate('will-navigate', url)).toBe(false);
      expect(contents.tryNavigate('will-redirect', url)).toBe(false);
    }
  });

  it('deny every new window and open https links in the browser instead', () => {
    expect(contents.windowOpenHandler?.({ url: 'https://aft.example:44399/' })).toEqual({
      action: 'deny',
    });
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: `${APP_ORIGIN}/index.html` })).toEqual({
      action: 'deny',
    });
    expect(electron.openedExternally).toEqual(['https://aft.example:44399/']);
  });

  it('refuse to attach a webview', () => {
    const attach = new FakeEvent();
    contents.emit('will-attach-webview', attach);
    expect(attach.defaultPrevented).toBe(true);
  });
});

describe('openExternalSafely', () => {
  it('opens only https URLs with a host and no credentials', () => {
    const electron = createFakeElectron();
    const opened = (url: string) => openExternalSafely(electron.shell, url);
    expect(opened('https://aft.example:44399/app')).toBe(true);
    expect(opened('http://aft.example/')).toBe(false);
    expect(opened('https://user:pw@aft.example/')).toBe(false);
    expect(opened('https://user@aft.example/')).toBe(false);
    expect(opened('javascript:alert(1)')).toBe(false);
    expect(opened('file:///C:/Windows/system32/calc.exe')).toBe(false);
    expect(opened('smb://host/share')).toBe(false);
    expect(opened('aft-launcher://run/x')).toBe(false);
    expect(opened('https://')).toBe(false);
    expect(opened('')).toBe(false);
    expect(electron.openedExternally).toEqual(['https://aft.example:44399/app']);
  });
});
