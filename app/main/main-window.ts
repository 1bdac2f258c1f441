// The one main window: created on demand, hidden (not closed) to the tray, and the sink for
// events to the renderer. A navigate event sent before the page has loaded (a link that
// started the app) is held and delivered once it has.
import type { BrowserWindowConstructorOptions } from 'electron';
import type { WindowEventSink } from '../core/ports.ts';
import { eventChannel, type IpcEventName, type NavigateTarget } from '../shared/ipc-contract.ts';
import type { PreventableEvent } from './window.ts';

export interface WindowLike {
  readonly webContents: {
    readonly id: number;
    send(channel: string, payload: unknown): void;
    isLoading(): boolean;
    on(event: 'did-finish-load', listener: () => void): unknown;
  };
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  on(event: 'focus', listener: () => void): unknown;
  on(event: 'show', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
  loadURL(url: string): Promise<void>;
  show(): void;
  hide(): void;
  focus(): void;
  isMinimized(): boolean;
  restore(): void;
  isVisible(): boolean;
  isFocused(): boolean;
  isDestroyed(): boolean;
}

export interface WindowParts {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => WindowLike;
}

export interface MainWindowDeps {
  options: BrowserWindowConstructorOptions;
  url: string;
  /** Called for each window made, e.g. to trust its web contents as an IPC sender. */
  onCreated(window: WindowLike): void;
  /** The window was shown or focused: the person can see what happened. */
  onSeen(): void;
  /** The first time the window is closed to the tray (ever), so the person can be told. */
  firstHideHint: { alreadyShown(): boolean; show(): void };
  onLoadError(error: unknown): void;
}

export interface MainWindowController {
  show(): void;
  /** Shows the window on a screen. */
  navigate(target: NavigateTarget): void;
  emit: WindowEventSink;
  isFocused(): boolean;
  /** From now on closing the window closes it (the app is quitting). */
  allowClose(): void;
}

export function createMainWindowController(
  parts: WindowParts,
  deps: MainWindowDeps,
): MainWindowController {
  let window: WindowLike | undefined;
  let loaded = false;
  let quitting = false;
  let pendingNavigation: NavigateTarget | undefined;

  function create(showWhenReady: boolean): WindowLike {
    const created = new parts.BrowserWindow(deps.options);
    window = created;
    loaded = false;
    deps.onCreated(created);
    created.on('close', (event) => {
      if (quitting) return;
      event.preventDefault();
      created.hide();
      if (!deps.firstHideHint.alreadyShown()) deps.firstHideHint.show();
    });
    created.on('closed', () => {
      if (window === created) window = undefined;
    });
    created.on('focus', () => deps.onSeen());
    created.on('show', () => deps.onSeen());
    created.webContents.on('did-finish-load', () => {
      loaded = true;
      if (pendingNavigation) {
        send('navigate', pendingNavigation);
        pendingNavigation = undefined;
      }
    });
    if (showWhenReady) created.once('ready-to-show', () => created.show());
    created.loadURL(deps.url).catch((error: unknown) => deps.onLoadError(error));
    return created;
  }

  function send(name: IpcEventName, payload: unknown): void {
    if (!window || window.isDestroyed() || !loaded) return;
    window.webContents.send(eventChannel(name), payload);
  }

  function show(): void {
    if (!window || window.isDestroyed()) {
      create(true);
      return;
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  const emit: WindowEventSink = (name, payload) => send(name, payload);

  return {
    show,
    navigate(target) {
      show();
      if (loaded) send('navigate', target);
      else pendingNavigation = target;
    },
    emit,
    isFocused: () => window !== undefined && !window.isDestroyed() && window.isFocused(),
    allowClose() {
      quitting = true;
    },
  };
}
