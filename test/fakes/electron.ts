// A fake of the parts of the `electron` module the adapters in app/main use, recording what
// they are asked to do. There is no Electron binary on this machine and tests must never load
// the real module: adapters take these parts as arguments, the composition root passes the real ones.
type Listener = (...args: never[]) => unknown;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  once(event: string, listener: Listener): this {
    const wrapper = ((...args: never[]) => {
      this.removeListener(event, wrapper);
      return listener(...args);
    }) as Listener;
    return this.on(event, wrapper);
  }

  removeListener(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((known) => known !== listener),
    );
    return this;
  }

  emit(event: string, ...args: unknown[]): boolean {
    const listeners = this.listeners.get(event) ?? [];
    for (const listener of listeners) (listener as (...values: unknown[]) => unknown)(...args);
    return listeners.length > 0;
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export interface HeadersDetails {
  url: string;
  responseHeaders?: Record<string, string[]>;
}

export class FakeSession {
  permissionRequestHandler?: (
    webContents: unknown,
    permission: string,
    callback: (granted: boolean) => void,
    details: { requestingUrl?: string },
  ) => void;
  permissionCheckHandler?: (
    webContents: unknown,
    permission: string,
    requestingOrigin: string,
  ) => boolean;
  devicePermissionHandler?: () => boolean;
  headersReceived?: (
    details: HeadersDetails,
    callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void,
  ) => void;

  readonly webRequest = {
    onHeadersReceived: (listener: NonNullable<FakeSession['headersReceived']>) => {
      this.headersReceived = listener;
    },
  };

  setPermissionRequestHandler(handler: NonNullable<FakeSession['permissionRequestHandler']>) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: NonNullable<FakeSession['permissionCheckHandler']>) {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: () => boolean) {
    this.devicePermissionHandler = handler;
  }

  /** What a permission request would be answered, as Chromium would ask it. */
  requestPermission(permission: string, requestingUrl: string): boolean {
    let granted: boolean | undefined;
    this.permissionRequestHandler?.({}, permission, (answer) => (granted = answer), {
      requestingUrl,
    });
    if (granted === undefined) throw new Error('The permission request was never answered.');
    return granted;
  }

  /** The headers a response would reach the page with. */
  respond(details: HeadersDetails): Record<string, string | string[]> | undefined {
    let answered: { responseHeaders?: Record<string, string | string[]> } | undefined;
    this.headersReceived?.(details, (response) => (answered = response));
    if (!answered) throw new Error('The response was never released.');
    return answered.responseHeaders ?? details.responseHeaders;
  }
}

let nextWebContentsId = 1;

export class FakeWebContents extends FakeEmitter {
  readonly id = nextWebContentsId++;
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler?: (details: { url: string }) => { action: 'deny' | 'allow' };
  url = '';
  loading = true;

  constructor(readonly session: FakeSession) {
    super();
  }

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }

  setWindowOpenHandler(handler: NonNullable<FakeWebContents['windowOpenHandler']>): void {
    this.windowOpenHandler = handler;
  }

  isLoading(): boolean {
    return this.loading;
  }

  /** Simulates the page finishing its load. */
  finishLoad(): void {
    this.loading = false;
    this.emit('did-finish-load');
  }

  /** Whether an attempt to navigate to `url` would go ahead. */
  tryNavigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    const navigation = new FakeEvent();
    this.emit(event, navigation, url);
    return !navigation.defaultPrevented;
  }
}

export interface FakeNotificationOptions {
  title: string;
  body: string;
  icon?: unknown;
  silent?: boolean;
}

export function createFakeElectron(options: { platform?: NodeJS.Platform } = {}) {
  const defaultSession = new FakeSession();
  const windows: FakeBrowserWindow[] = [];
  const trays: FakeTray[] = [];
  const notifications: FakeNotification[] = [];
  const openedExternally: string[] = [];

  class FakeBrowserWindow extends FakeEmitter {
    readonly webContents = new FakeWebContents(defaultSession);
    visible = false;
    focused = false;
    minimized = false;
    destroyed = false;
    loadedUrl?: string;

    constructor(readonly options: object) {
      super();
      windows.push(this);
      app.emit('web-contents-created', new FakeEvent(), this.webContents);
    }

    loadURL(url: string): Promise<void> {
      this.loadedUrl = url;
      this.webContents.url = url;
      return Promise.resolve();
    }
    show(): void {
      this.visible = true;
      this.emit('show');
    }
    hide(): void {
      this.visible = false;
      this.focused = false;
      this.emit('hide');
    }
    focus(): void {
      this.focused = true;
      this.emit('focus');
    }
    isVisible(): boolean {
      return this.visible;
    }
    isFocused(): boolean {
      return this.focused;
    }
    isMinimized(): boolean {
      return this.minimized;
    }
    restore(): void {
      this.minimized = false;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    destroy(): void {
      this.destroyed = true;
      this.emit('closed');
    }
    /** What clicking the window's close button does. */
    close(): void {
      const event = new FakeEvent();
      this.emit('close', event);
      if (!event.defaultPrevented) this.destroy();
    }
  }

  class FakeTray extends FakeEmitter {
    image: unknown;
    toolTip = '';
    menu?: FakeMenu;
    menusBuilt = 0;
    destroyed = false;

    constructor(image: unknown) {
      super();
      this.image = image;
      trays.push(this);
    }
    setImage(image: unknown): void {
      this.image = image;
    }
    setToolTip(toolTip: string): void {
      this.toolTip = toolTip;
    }
    setContextMenu(menu: FakeMenu | null): void {
      this.menu = menu ?? undefined;
      this.menusBuilt += 1;
    }
    destroy(): void {
      this.destroyed = true;
    }
  }

  class FakeNotification extends FakeEmitter {
    static supported = true;
    static isSupported(): boolean {
      return FakeNotification.supported;
    }
    shown = false;
    constructor(readonly options: FakeNotificationOptions) {
      super();
    }
    get title(): string {
      return this.options.title;
    }
    get body(): string {
      return this.options.body;
    }
    show(): void {
      this.shown = true;
      notifications.push(this);
    }
    click(): void {
      this.emit('click', new FakeEvent());
    }
  }

  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const app = Object.assign(new FakeEmitter(), {
    isPackaged: false,
    appPath: '/fake/app',
    /** The app becomes ready when the test says so (after setting paths, say). */
    markReady: () => markReady(),
    whenReady: () => ready,
    getAppPath: () => app.appPath,
    singleInstanceLock: true,
    quitCalls: 0,
    quitted: false,
    appUserModelId: undefined as string | undefined,
    protocolClients: [] as { scheme: string; path?: string; args?: string[] }[],
    loginItemSettings: [] as Record<string, unknown>[],
    paths: { userData: '/fake/userData', home: '/fake/home' } as Record<string, string>,
    requestSingleInstanceLock(): boolean {
      return app.singleInstanceLock;
    },
    /** As Electron: before-quit, then will-quit, each of which may be prevented. */
    quit(): void {
      app.quitCalls += 1;
      const beforeQuit = new FakeEvent();
      app.emit('before-quit', beforeQuit);
      if (beforeQuit.defaultPrevented) return;
      const willQuit = new FakeEvent();
      app.emit('will-quit', willQuit);
      if (!willQuit.defaultPrevented) app.quitted = true;
    },
    exit(): void {
      app.quitted = true;
    },
    setAppUserModelId(id: string): void {
      app.appUserModelId = id;
    },
    setAsDefaultProtocolClient(scheme: string, path?: string, args?: string[]): boolean {
      app.protocolClients.push({ scheme, ...(path ? { path } : {}), ...(args ? { args } : {}) });
      return true;
    },
    setLoginItemSettings(settings: Record<string, unknown>): void {
      app.loginItemSettings.push(settings);
    },
    getPath(name: string): string {
      const path = app.paths[name];
      if (!path) throw new Error(`No fake path for ${name}`);
      return path;
    },
    getVersion: () => '0.1.0-test',
  });

  const Menu = {
    buildFromTemplate: (template: FakeMenuItem[]): FakeMenu => ({ template }),
  };

  const nativeImage = {
    createFromPath: (path: string) => ({ path }),
  };

  const shell = {
    openExternal: (url: string): Promise<void> => {
      openedExternally.push(url);
      return Promise.resolve();
    },
  };

  const copied: string[] = [];
  const clipboard = {
    writeText: (text: string): void => {
      copied.push(text);
    },
  };

  const registeredShortcuts = new Map<string, () => void>();
  const globalShortcut = {
    /** Accelerators another program already holds. */
    taken: new Set<string>(),
    register(accelerator: string, callback: () => void): boolean {
      if (!/^[A-Za-z0-9+]+$/.test(accelerator)) {
        throw new Error(`Invalid accelerator: ${accelerator}`);
      }
      if (globalShortcut.taken.has(accelerator)) return false;
      registeredShortcuts.set(accelerator, callback);
      return true;
    },
    unregister(accelerator: string): void {
      registeredShortcuts.delete(accelerator);
    },
    unregisterAll(): void {
      registeredShortcuts.clear();
    },
    registered: registeredShortcuts,
    press(accelerator: string): void {
      registeredShortcuts.get(accelerator)?.();
    },
  };

  const protocol = {
    privileged: [] as unknown[],
    handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
    registerSchemesAsPrivileged(schemes: unknown[]): void {
      protocol.privileged.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
      protocol.handlers.set(scheme, handler);
    },
  };

  type InvokeListener = (event: unknown, ...args: unknown[]) => unknown;
  const ipcMain = Object.assign(new FakeEmitter(), {
    handlers: new Map<string, InvokeListener>(),
    handle(channel: string, listener: InvokeListener): void {
      if (ipcMain.handlers.has(channel)) throw new Error(`Second handler for ${channel}`);
      ipcMain.handlers.set(channel, listener);
    },
    removeHandler(channel: string): void {
      ipcMain.handlers.delete(channel);
    },
    /** What ipcRenderer.invoke(channel, ...args) from `event`'s sender would get back. */
    async invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
      const listener = ipcMain.handlers.get(channel);
      if (!listener) throw new Error(`No handler for ${channel}`);
      return listener(event, ...args);
    },
  });

  const dialog = {
    errorBoxes: [] as { title: string; content: string }[],
    showErrorBox(title: string, content: string): void {
      dialog.errorBoxes.push({ title, content });
    },
  };

  return {
    platform: options.platform ?? 'linux',
    ipcMain,
    dialog,
    safeStorage: createFakeSafeStorage(),
    app,
    BrowserWindow: FakeBrowserWindow,
    Tray: FakeTray,
    Menu,
    Notification: FakeNotification,
    nativeImage,
    shell,
    clipboard,
    globalShortcut,
    protocol,
    session: { defaultSession },
    // Recordings.
    windows,
    trays,
    notifications,
    openedExternally,
    copied,
  };
}

export interface FakeMenuItem {
  label?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
  submenu?: FakeMenuItem[];
}
export interface FakeMenu {
  template: FakeMenuItem[];
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
export type FakeBrowserWindow = InstanceType<FakeElectron['BrowserWindow']>;
export type FakeTray = InstanceType<FakeElectron['Tray']>;
export type FakeNotification = InstanceType<FakeElectron['Notification']>;

/** A fake safeStorage: reversible "encryption" that is visibly not the plain text. */
export function createFakeSafeStorage(options: { available?: boolean; backend?: string } = {}) {
  const calls: string[] = [];
  return {
    calls,
    isAsyncEncryptionAvailable: () => {
      calls.push('isAsyncEncryptionAvailable');
      return Promise.resolve(options.available ?? true);
    },
    encryptStringAsync: (plainText: string) => {
      calls.push('encryptStringAsync');
      return Promise.resolve(Buffer.from(`enc:${[...plainText].reverse().join('')}`, 'utf8'));
    },
    decryptStringAsync: (encrypted: Buffer) => {
      calls.push('decryptStringAsync');
      const text = encrypted.toString('utf8');
      if (!text.startsWith('enc:')) return Promise.reject(new Error('Error while decrypting'));
      return Promise.resolve({
        shouldReEncrypt: false,
        result: [...text.slice(4)].reverse().join(''),
      });
    },
    getSelectedStorageBackend: () => {
      calls.push('getSelectedStorageBackend');
      return options.backend ?? 'gnome_libsecret';
    },
  };
}
