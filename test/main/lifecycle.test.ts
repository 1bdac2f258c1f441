import { describe, expect, it } from 'vitest';
import type { LaunchRequest } from '../../app/core/desktop/deep-link.ts';
import {
  APP_USER_MODEL_ID,
  claimSingleInstance,
  installLifecycle,
  registerWithDesktop,
} from '../../app/main/lifecycle.ts';
import { createMainWindowController } from '../../app/main/main-window.ts';
import { eventChannel } from '../../app/shared/ipc-contract.ts';
import { createFakeElectron, FakeEvent, type FakeBrowserWindow } from '../fakes/electron.ts';
import { flushPromises } from '../helpers/fake-clock.ts';

function setUp(options: { shutdown?: () => Promise<void> } = {}) {
  const electron = createFakeElectron();
  const calls: string[] = [];
  const launchRequests: LaunchRequest[] = [];
  let hintShown = false;
  const window = createMainWindowController(electron, {
    options: { show: false },
    url: 'app://aft/index.html',
    onCreated: (created) => calls.push(`created ${created.webContents.id > 0}`),
    onSeen: () => calls.push('seen'),
    firstHideHint: {
      alreadyShown: () => hintShown,
      show: () => {
        hintShown = true;
        calls.push('hint');
      },
    },
    onLoadError: () => calls.push('load error'),
  });
  installLifecycle(electron.app, {
    showWindow: () => window.show(),
    allowWindowClose: () => window.allowClose(),
    shutdown:
      options.shutdown ??
      (async () => {
        calls.push('shutdown');
      }),
    onLaunchRequest: (request) => launchRequests.push(request),
    onError: (message) => calls.push(`error: ${message}`),
    shutdownTimeoutMs: 50,
  });
  const current = () => electron.windows.at(-1) as FakeBrowserWindow;
  return { electron, window, calls, launchRequests, current };
}

describe('window and lifecycle', () => {
  it('creates the window on demand, shown once ready, and marks it seen', () => {
    const t = setUp();
    t.window.show();
    expect(t.electron.windows).toHaveLength(1);
    expect(t.current().loadedUrl).toBe('app://aft/index.html');
    expect(t.current().visible).toBe(false);
    t.current().emit('ready-to-show');
    expect(t.current().visible).toBe(true);
    expect(t.calls).toEqual(['created true', 'seen']);
  });

  it('hides to the tray on close, and says so only the first time', () => {
    const t = setUp();
    t.window.show();
    t.current().emit('ready-to-show');
    t.current().close();
    expect(t.current().destroyed).toBe(false);
    expect(t.current().visible).toBe(false);
    t.window.show();
    t.current().close();
    expect(t.calls.filter((call) => call === 'hint')).toEqual(['hint']);
    expect(t.electron.windows).toHaveLength(1);
  });

  it('quits on Quit: the stores are flushed first, then the window really closes', async () => {
    const t = setUp();
    t.window.show();
    t.electron.app.quit();
    expect(t.electron.app.quitted).toBe(false);
    await flushPromises();
    expect(t.calls).toContain('shutdown');
    expect(t.electron.app.quitted).toBe(true);
    t.current().close();
    expect(t.current().destroyed).toBe(true);
  });

  it('quits even when flushing fails or hangs, and says so', async () => {
    const failing = setUp({ shutdown: () => Promise.reject(new Error('disk full')) });
    failing.electron.app.quit();
    await flushPromises();
    expect(failing.electron.app.quitted).toBe(true);
    expect(failing.calls).toContain('error: Could not write everything to disk on Quit');

    const hanging = setUp({ shutdown: () => new Promise(() => {}) });
    hanging.electron.app.quit();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(hanging.electron.app.quitted).toBe(true);
  });

  it('does not quit when the last window closes (the app lives in the tray)', () => {
    const t = setUp();
    expect(t.electron.app.listenerCount('window-all-closed')).toBe(1);
  });

  it('a second instance focuses the first and forwards its link or --run', () => {
    const t = setUp();
    t.window.show();
    t.current().emit('ready-to-show');
    t.current().close();
    t.electron.app.emit(
      'second-instance',
      new FakeEvent(),
      ['/opt/aft', 'aft-launcher://run/Nightly?x=1'],
      '/',
    );
    expect(t.current().visible).toBe(true);
    expect(t.current().focused).toBe(true);
    t.electron.app.emit(
      'second-instance',
      new FakeEvent(),
      ['/opt/aft', '--run', 'My Backup Job'],
      '/',
    );
    t.electron.app.emit(
      'second-instance',
      new FakeEvent(),
      ['/opt/aft', 'aft-launcher://run/../x'],
      '/',
    );
    t.electron.app.emit('second-instance', new FakeEvent(), ['/opt/aft'], '/');
    expect(t.launchRequests).toEqual([
      { jobRef: 'Nightly', values: { x: '1' } },
      { jobRef: 'My Backup Job', values: {} },
    ]);
  });

  it('takes macOS links from open-url', () => {
    const t = setUp();
    const event = new FakeEvent();
    t.electron.app.emit('open-url', event, 'aft-launcher://run/Nightly');
    t.electron.app.emit('open-url', new FakeEvent(), 'javascript:alert(1)');
    expect(event.defaultPrevented).toBe(true);
    expect(t.launchRequests).toEqual([{ jobRef: 'Nightly', values: {} }]);
  });

  it('holds a navigation until the page has loaded, then sends it', () => {
    const t = setUp();
    t.window.navigate({ screen: 'run-form', jobId: 'job-1', values: { x: '1' } });
    const contents = t.current().webContents;
    expect(contents.sent).toEqual([]);
    contents.finishLoad();
    expect(contents.sent).toEqual([
      {
        channel: eventChannel('navigate'),
        payload: { screen: 'run-form', jobId: 'job-1', values: { x: '1' } },
      },
    ]);
    t.window.emit('runUpdated', { id: 'r' } as never);
    expect(contents.sent.at(-1)?.channel).toBe(eventChannel('runUpdated'));
  });

  it('claims a single instance', () => {
    const { app } = createFakeElectron();
    expect(claimSingleInstance(app)).toBe(true);
    app.singleInstanceLock = false;
    expect(claimSingleInstance(app)).toBe(false);
  });

  it('registers the link scheme, with the app folder in development, and the AppUserModelID on Windows', () => {
    const windows = createFakeElectron().app;
    registerWithDesktop(windows, {
      platform: 'win32',
      isPackaged: true,
      execPath: 'C:\\AFT.exe',
      appPath: 'C:\\app',
    });
    expect(windows.appUserModelId).toBe(APP_USER_MODEL_ID);
    expect(windows.protocolClients).toEqual([{ scheme: 'aft-launcher' }]);

    const dev = createFakeElectron().app;
    registerWithDesktop(dev, {
      platform: 'linux',
      isPackaged: false,
      execPath: '/e/electron',
      appPath: '/src/aft',
    });
    expect(dev.appUserModelId).toBeUndefined();
    expect(dev.protocolClients).toEqual([
      { scheme: 'aft-launcher', path: '/e/electron', args: ['/src/aft'] },
    ]);
  });
});
