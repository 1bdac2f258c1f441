// The composition root: the only module that loads Electron (and electron-store). It builds
// the adapters in this folder around the main-process services from app/core and wires their
// ports to the desktop: window, tray, notifications, links, start at login, shortcut, demo.
import * as electron from 'electron';
import Store from 'electron-store';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAftClient } from '../core/aft/client.ts';
import { systemClock } from '../core/clock.ts';
import { resolveLaunchRequest, type LaunchRequest } from '../core/desktop/deep-link.ts';
import { startDemoServer, type DemoServer } from '../core/desktop/demo-server.ts';
import { parseLaunchOptions } from '../core/desktop/launch-options.ts';
import { createTrustedSenderCheck, registerIpcHandlers } from '../core/ipc/validated-ipc.ts';
import { createMainServices } from '../core/main-services.ts';
import type { RunObserver, WindowEventSink } from '../core/ports.ts';
import { createFileDocumentBackend } from '../core/store/file-document-backend.ts';
import { DEFAULT_SETTINGS, type Settings } from '../shared/model.ts';
import { APP_SCHEME_PRIVILEGES, createAppRequestHandler } from './app-protocol.ts';
import { claimSingleInstance, installLifecycle, registerWithDesktop } from './lifecycle.ts';
import { applyStartAtLogin } from './login-item.ts';
import { createMainWindowController } from './main-window.ts';
import { createNotifier } from './notifier.ts';
import { createSafeStorageCipher } from './secret-cipher.ts';
import { createQuickLaunchShortcut } from './shortcut.ts';
import { createStoreBackend } from './store-backend.ts';
import { createTrayController, type TrayController } from './tray.ts';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  APP_SCHEME,
  hardenSession,
  installWebContentsGuards,
  mainWindowOptions,
  openExternalSafely,
} from './window.ts';

const { app, ipcMain, protocol, session, shell, safeStorage, globalShortcut, clipboard } = electron;
/** dist/app: main.js, preload.cjs and icons/ sit here, the renderer in ../renderer. */
const appDir = path.dirname(fileURLToPath(import.meta.url));
const platform = process.platform;
const launch = parseLaunchOptions(process.argv);

function logError(message: string, error: unknown): void {
  console.error(message, error instanceof Error ? error.message : (error ?? ''));
}

function trayIcons() {
  const icon = (name: string) => path.join(appDir, 'icons', name);
  if (platform === 'darwin') {
    return {
      idle: icon('trayTemplate.png'),
      running: icon('trayRunningTemplate.png'),
      failure: icon('trayFailureTemplate.png'),
    };
  }
  const extension = platform === 'win32' ? 'ico' : 'png';
  return {
    idle: icon(`tray-idle.${extension}`),
    running: icon(`tray-running.${extension}`),
    failure: icon(`tray-failure.${extension}`),
  };
}

/** A marker file: the "still running in the tray" hint is given once, ever. */
function firstHideHint(userData: string, show: () => void) {
  const marker = path.join(userData, 'tray-hint-shown');
  return {
    alreadyShown: () => fs.existsSync(marker),
    show() {
      show();
      try {
        fs.writeFileSync(marker, new Date().toISOString());
      } catch (error) {
        logError('Could not remember that the tray hint was shown', error);
      }
    },
  };
}

async function start(): Promise<void> {
  installWebContentsGuards(app, shell);
  registerWithDesktop(app, {
    platform,
    isPackaged: app.isPackaged,
    execPath: process.execPath,
    appPath: app.getAppPath(),
  });
  await app.whenReady();

  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppRequestHandler(path.join(appDir, '..', 'renderer')));

  const userData = app.getPath('userData');
  let settings: Settings = DEFAULT_SETTINGS;
  const trustedWebContentsIds = new Set<number>();
  // The tray and notifier are made after the services (they read jobs through them); the
  // services get observers that forward to them once they exist.
  const lateObservers: RunObserver[] = [];
  const late: { tray?: TrayController } = {};
  const forwardingObserver: RunObserver = {
    runUpdated: (run, job) => lateObservers.forEach((observer) => observer.runUpdated(run, job)),
  };

  const notifier = createNotifier(electron, {
    settings: () => settings,
    ...(platform === 'linux' ? { iconPath: path.join(appDir, 'icons', 'icon.png') } : {}),
    openRun: (runId) => window.navigate({ screen: 'run', runId }),
  });

  const window = createMainWindowController(electron, {
    options: mainWindowOptions({
      preloadPath: path.join(appDir, 'preload.cjs'),
      ...(platform === 'linux' ? { iconPath: path.join(appDir, 'icons', 'icon.png') } : {}),
    }),
    url: APP_ENTRY_URL,
    onCreated: (created) => trustedWebContentsIds.add(created.webContents.id),
    onSeen: () => late.tray?.markFailuresSeen(),
    firstHideHint: firstHideHint(userData, () =>
      notifier.show({
        title: 'AFT! Launcher is still running',
        body: 'It stays in the tray so your jobs are one click away. Choose Quit in the tray menu to close it.',
      }),
    ),
    onLoadError: (error) => logError('The window could not load its page', error),
  });

  const shortcut = createQuickLaunchShortcut(globalShortcut, () =>
    window.navigate({ screen: 'quick-launch' }),
  );
  const loginContext = {
    platform,
    executable: process.env.APPIMAGE ?? process.execPath,
    appArgs: app.isPackaged ? [] : [path.resolve(app.getAppPath())],
    env: process.env,
    homeDir: os.homedir(),
  };

  function applySettings(next: Settings, previous: Settings | undefined): void {
    settings = next;
    // At start-up an enabled entry is written again (the app may have moved); a disabled one
    // is left alone: only a change made in Settings removes it.
    if (previous ? previous.startAtLogin !== next.startAtLogin : next.startAtLogin) {
      try {
        applyStartAtLogin(app, next.startAtLogin, loginContext);
      } catch (error) {
        logError('Could not change start at login', error);
      }
    }
    const problem = shortcut.apply(next.quickLaunchShortcut);
    if (problem) notifier.show({ title: 'Quick-launch shortcut not set', body: problem });
  }

  const emit: WindowEventSink = (name, payload) => {
    window.emit(name, payload);
    if (name === 'jobsChanged') void late.tray?.refreshJobs();
    if (name === 'historyCleared') late.tray?.forgetEndedRuns();
    if (name === 'settingsChanged') applySettings(payload as Settings, settings);
  };

  // One demo server per session, however often the window asks for it.
  let demoServer: Promise<DemoServer> | undefined;
  const services = await createMainServices({
    settingsBackend: createStoreBackend(Store, { name: 'settings', directory: userData }),
    historyBackend: createFileDocumentBackend(path.join(userData, 'history.json')),
    cipher: createSafeStorageCipher(safeStorage, platform),
    client: createAftClient(),
    clock: systemClock,
    startDemoServer: async () => {
      demoServer ??= startDemoServer(path.join(userData, 'demo-server')).catch((error: unknown) => {
        demoServer = undefined; // the next attempt starts afresh
        throw error;
      });
      const { url, ...rest } = await demoServer;
      return { baseUrl: url, ...rest };
    },
    openExternal: (url: string) => {
      if (!openExternalSafely(shell, url)) throw new Error('Only https addresses are opened.');
    },
    writeClipboard: (text) => clipboard.writeText(text),
    observers: [forwardingObserver],
    emit,
    log: (message) => console.error(message),
    app: { version: app.getVersion(), platform },
  });
  const { handlers } = services;

  registerIpcHandlers(
    ipcMain,
    handlers,
    createTrustedSenderCheck({
      trustedWebContentsIds: () => trustedWebContentsIds,
      appOrigin: APP_ORIGIN,
    }),
    { log: (message) => console.error(message), redact: services.redactor.redact },
  );

  const trayController = createTrayController(electron, {
    platform,
    icons: trayIcons(),
    listJobs: () => handlers['jobs.list']({}),
    recentRuns: async () => (await handlers['runs.history']({ offset: 0, limit: 20 })).runs,
    startRun: async (jobId, values) => (await handlers['runs.start']({ jobId, values })).ok,
    navigate: (target) => window.navigate(target),
    openWindow: () => window.show(),
    quit: () => app.quit(),
    isWindowFocused: () => window.isFocused(),
    clock: systemClock,
    onError: logError,
  });
  late.tray = trayController;
  lateObservers.push(trayController.observer, notifier.observer);

  async function openLaunchRequest(request: LaunchRequest): Promise<void> {
    const jobs = await handlers['jobs.list']({});
    const target = resolveLaunchRequest(request, jobs);
    if (target) {
      window.navigate(target);
      return;
    }
    window.navigate({ screen: 'jobs' });
    notifier.show({
      title: 'No such job',
      body: `There is no saved job called "${request.jobRef}". Pick one from the list.`,
    });
  }

  running = {
    showWindow: () => window.show(),
    allowWindowClose: () => window.allowClose(),
    async shutdown() {
      shortcut.dispose();
      trayController.dispose();
      services.dispose();
      if (demoServer) await (await demoServer).close();
    },
    openLaunchRequest,
  };

  applySettings(await handlers['settings.get']({}), undefined);
  // A demo server saved earlier listens on a new port each session: start it again before
  // runs on it are followed again.
  const hasDemoServer = (await handlers['servers.list']({})).some((server) => server.isDemo);
  if (launch.demo || hasDemoServer) {
    try {
      await handlers['servers.startDemo']({});
    } catch (error) {
      logError('Could not start the demo server', error);
    }
  }
  services.resume();

  const requests = [...(launch.launchRequest ? [launch.launchRequest] : []), ...earlyRequests];
  earlyRequests.length = 0;
  for (const request of requests) await openLaunchRequest(request);
  // Started hidden (at login), the person would not see what start-up found wrong.
  if (launch.hidden && services.notices.length > 0) {
    notifier.show(
      { title: 'AFT! Launcher needs your attention', body: services.notices[0]!.message },
      () => window.show(),
    );
  }
  if (requests.length === 0 && !launch.hidden) window.show();
}

/** What the lifecycle reaches once start() has built it. */
interface Running {
  showWindow(): void;
  allowWindowClose(): void;
  shutdown(): Promise<void>;
  openLaunchRequest(request: LaunchRequest): Promise<void>;
}
let running: Running | undefined;
/** Links that arrive before the app is ready (macOS delivers the launching link that early). */
const earlyRequests: LaunchRequest[] = [];

// Must happen before the app is ready: app:// is a standard, secure scheme (a real origin).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (!claimSingleInstance(app)) {
  // The first instance receives this command line through 'second-instance'.
  app.quit();
} else {
  installLifecycle(app, {
    showWindow: () => running?.showWindow(),
    allowWindowClose: () => running?.allowWindowClose(),
    shutdown: async () => running?.shutdown(),
    onLaunchRequest(request) {
      if (!running) {
        earlyRequests.push(request);
        return;
      }
      running
        .openLaunchRequest(request)
        .catch((error: unknown) => logError('Could not open the job from the link', error));
    },
    onError: logError,
  });
  start().catch((error: unknown) => {
    logError('AFT! Launcher could not start', error);
    electron.dialog.showErrorBox(
      'AFT! Launcher could not start',
      `${error instanceof Error ? error.message : String(error)}\n\nThe details were written to the log.`,
    );
    app.exit(1);
  });
}
