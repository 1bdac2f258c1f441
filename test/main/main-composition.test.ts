// The composition root (app/main/main.ts) started for real against the fake electron module:
// `--demo` starts the built-in simulator, the window's requests go through the registered IPC
// handlers, and jobs run from the tray to the end, with their notifications, tray states,
// links, close-to-tray and Quit. Only Electron is faked; services, client and simulator are real.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  eventChannel,
  requestChannel,
  type IpcRequestName,
  type IpcResult,
} from '../../app/shared/ipc-contract.ts';
import type { Run, SavedJob, ServerSummary } from '../../app/shared/model.ts';
import type { FakeElectron, FakeMenuItem, FakeTray } from '../fakes/electron.ts';

const fake = vi.hoisted(() => ({ electron: undefined as FakeElectron | undefined }));

vi.mock('electron', async () => {
  const { createFakeElectron } = await import('../fakes/electron.ts');
  const electron = createFakeElectron();
  fake.electron = electron;
  return { ...electron, default: electron };
});

// electron-store reaches for Electron's app itself; its file handling is conf's, used directly.
vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf');
  class Store extends Conf<Record<string, unknown>> {
    constructor(options: { name: string; cwd: string; clearInvalidConfig: boolean }) {
      super({
        configName: options.name,
        cwd: options.cwd,
        clearInvalidConfig: options.clearInvalidConfig,
      });
    }
  }
  return { default: Store };
});

const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'aft-main-'));
const savedArgv = process.argv;
const savedConfigHome = process.env.XDG_CONFIG_HOME;

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function electron(): FakeElectron {
  if (!fake.electron) throw new Error('The fake electron module was not loaded');
  return fake.electron;
}
const mainWindow = () => electron().windows[0]!;
const tray = () => electron().trays[0] as FakeTray;
const trayIcon = () => path.basename((tray().image as { path: string }).path);

/** A request from the app's own window, as its preload would send it. */
async function request<T>(
  name: IpcRequestName,
  input: unknown,
  senderId = mainWindow().webContents.id,
): Promise<T> {
  const frame = { url: 'app://aft/index.html' };
  const event = { sender: { id: senderId, mainFrame: frame }, senderFrame: frame };
  const result = (await electron().ipcMain.invoke(
    requestChannel(name),
    event,
    input,
  )) as IpcResult<T>;
  if (!result.ok) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function findMenuItem(label: string): FakeMenuItem | undefined {
  const walk = (items: FakeMenuItem[]): FakeMenuItem | undefined => {
    for (const item of items) {
      if (item.label === label) return item;
      const inner = item.submenu && walk(item.submenu);
      if (inner) return inner;
    }
    return undefined;
  };
  return walk(tray().menu?.template ?? []);
}

const sentNavigations = () =>
  mainWindow()
    .webContents.sent.filter((message) => message.channel === eventChannel('navigate'))
    .map((message) => message.payload);

beforeAll(async () => {
  process.env.XDG_CONFIG_HOME = path.join(userData, 'config');
  process.argv = [process.execPath, 'dist/app/main.js', '--demo'];
  await import('../../app/main/main.ts');
  electron().app.paths.userData = userData;
  electron().app.markReady();
  await waitFor('the window', () => electron().windows.length === 1);
  mainWindow().emit('ready-to-show');
  mainWindow().webContents.finishLoad();
}, 30_000);

afterAll(() => {
  process.argv = savedArgv;
  if (savedConfigHome === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = savedConfigHome;
  fs.rmSync(userData, { recursive: true, force: true });
});

describe('the app, started with --demo', () => {
  let demo: ServerSummary;
  let rotate: SavedJob;
  let upload: SavedJob;

  it('hardens the session, registers the link scheme and shows the window', () => {
    const session = electron().session.defaultSession;
    expect(session.requestPermission('media', 'app://aft/index.html')).toBe(false);
    expect(electron().protocol.privileged).toEqual([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
      },
    ]);
    expect(electron().protocol.handlers.has('app')).toBe(true);
    expect(electron().app.protocolClients.map((client) => client.scheme)).toEqual(['aft-launcher']);
    expect(mainWindow().loadedUrl).toBe('app://aft/index.html');
    expect(mainWindow().visible).toBe(true);
    expect((mainWindow().options as { webPreferences: object }).webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    expect(electron().globalShortcut.registered.has('CommandOrControl+Shift+Space')).toBe(true);
  });

  it('started the demo server, pinned and with a key', async () => {
    const servers = await request<ServerSummary[]>('servers.list', {});
    expect(servers).toHaveLength(1);
    demo = servers[0]!;
    expect(demo).toMatchObject({ isDemo: true, hasApiKey: true });
    expect(demo.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(demo.pinnedCertificate?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('copies text for the window through the system clipboard', async () => {
    await request('app.copyText', { text: 'aft start -n "Rotate Logs"' });
    expect(electron().copied.at(-1)).toBe('aft start -n "Rotate Logs"');
  });

  it('refuses requests from any other web contents', async () => {
    await expect(request('servers.list', {}, 9999)).rejects.toThrow(/forbidden-sender/);
  });

  it('lists saved jobs in the tray as they are saved', async () => {
    rotate = await request<SavedJob>('jobs.save', {
      name: 'Rotate Logs',
      serverId: demo.id,
      target: { kind: 'scriptName', value: 'Rotate Logs' },
      showInTray: true,
    });
    upload = await request<SavedJob>('jobs.save', {
      name: 'Upload Invoices',
      serverId: demo.id,
      target: { kind: 'scriptName', value: 'Upload Invoices' },
      showInTray: true,
      notify: 'failures',
    });
    await waitFor('the tray menu', () => findMenuItem('Run Upload Invoices'));
    expect(trayIcon()).toBe('tray-idle.png');
  });

  it('runs jobs from the tray to the end, with notifications and tray states', async () => {
    mainWindow().close(); // hidden to the tray: a failure now is one the person has not seen
    findMenuItem('Run Rotate Logs')!.click!();
    findMenuItem('Run Upload Invoices')!.click!();
    await waitFor('the running icon', () => trayIcon() === 'tray-running.png');
    expect(tray().toolTip).toMatch(/AFT! Launcher: [12] jobs? running/);

    const titles = () => electron().notifications.map((notification) => notification.title);
    await waitFor(
      'both runs to end',
      () =>
        titles().includes('Rotate Logs succeeded') && titles().includes('Upload Invoices failed'),
    );
    expect(trayIcon()).toBe('tray-failure.png');
    expect(findMenuItem('✗ Upload Invoices: failed (just now)')).toBeDefined();
    expect(findMenuItem('✓ Rotate Logs: succeeded (just now)')).toBeDefined();

    const history = await request<{ runs: Run[] }>('runs.history', { offset: 0, limit: 10 });
    const failed = history.runs.find((run) => run.jobName === 'Upload Invoices')!;
    expect(failed).toMatchObject({ state: 'failed', exitCode: 2 });

    // Clicking the failure's notification opens the window on that run; the icon calms down.
    electron()
      .notifications.find((notification) => notification.title === 'Upload Invoices failed')!
      .click();
    expect(mainWindow().visible).toBe(true);
    expect(sentNavigations().at(-1)).toEqual({ screen: 'run', runId: failed.id });
    expect(trayIcon()).toBe('tray-idle.png');
  });

  it('told the person once that closing keeps the app in the tray', () => {
    const hints = electron().notifications.filter(
      (n) => n.title === 'AFT! Launcher is still running',
    );
    expect(hints).toHaveLength(1);
    mainWindow().close();
    expect(
      electron().notifications.filter((n) => n.title === 'AFT! Launcher is still running'),
    ).toHaveLength(1);
  });

  it('opens the run form (and runs nothing) for a link from a second launch', async () => {
    const runsBefore = (await request<{ total: number }>('runs.history', { offset: 0, limit: 1 }))
      .total;
    electron().app.emit(
      'second-instance',
      {},
      ['/opt/aft', 'aft-launcher://run/rotate%20logs?x=1'],
      '/',
    );
    await waitFor('the run form', () =>
      sentNavigations().some((target) => (target as { screen: string }).screen === 'run-form'),
    );
    expect(sentNavigations().at(-1)).toEqual({ screen: 'run-form', jobId: rotate.id, values: {} });
    expect(mainWindow().visible).toBe(true);
    expect((await request<{ total: number }>('runs.history', { offset: 0, limit: 1 })).total).toBe(
      runsBefore,
    );
    expect(upload.id).toBeDefined();
  });

  it('opens the quick-launch palette from the global shortcut', () => {
    electron().globalShortcut.press('CommandOrControl+Shift+Space');
    expect(sentNavigations().at(-1)).toEqual({ screen: 'quick-launch' });
  });

  it('applies settings: start at login writes the autostart entry, a new shortcut replaces the old', async () => {
    await request('settings.update', { startAtLogin: true, quickLaunchShortcut: 'Alt+K' });
    const entry = path.join(userData, 'config', 'autostart', 'aft-launcher.desktop');
    expect(fs.readFileSync(entry, 'utf8')).toMatch(/^Exec=.* --hidden$/m);
    expect([...electron().globalShortcut.registered.keys()]).toEqual(['Alt+K']);
    await request('settings.update', { startAtLogin: false });
    expect(fs.existsSync(entry)).toBe(false);
  });

  it('clears the tray results with the history', async () => {
    await request('runs.clearHistory', {});
    expect(findMenuItem('✓ Rotate Logs: succeeded (just now)')).toBeUndefined();
    await request('runs.start', { jobId: rotate.id, values: {} });
    await waitFor(
      'the run to end',
      () =>
        electron().notifications.filter((n) => n.title === 'Rotate Logs succeeded').length === 2,
    );
  });

  it('quits on Quit, with history and jobs on disk', async () => {
    electron().app.quit();
    await waitFor('the app to quit', () => electron().app.quitted);
    expect(mainWindow().destroyed).toBe(false);
    mainWindow().close();
    expect(mainWindow().destroyed).toBe(true);
    expect(tray().destroyed).toBe(true);
    const history = JSON.parse(fs.readFileSync(path.join(userData, 'history.json'), 'utf8')) as {
      runs: Run[];
    };
    // Cleared once, then one more run.
    expect(history.runs.map((run) => run.jobName)).toEqual(['Rotate Logs']);
    const settings = fs.readFileSync(path.join(userData, 'settings.json'), 'utf8');
    expect(settings).toContain('Upload Invoices');
    expect(electron().dialog.errorBoxes).toEqual([]);
  });
});
