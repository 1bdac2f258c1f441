// The tray icon and its menu. The menu itself is the pure buildTrayMenu(); this adapter keeps
// the state it is built from (jobs, recent runs, whether a failure is unseen), rebuilds it on
// every change, and turns menu actions into runs and window navigation.
import type { Clock, TimerHandle } from '../core/clock.ts';
import {
  canRunFromTray,
  buildTrayMenu,
  trayIconState,
  trayToolTip,
  type MenuTemplateItem,
  type TrayAction,
  type TrayIconState,
} from '../core/desktop/tray-menu.ts';
import { isRunActive, runOutcome } from '../core/desktop/run-outcome.ts';
import type { RunObserver } from '../core/ports.ts';
import type { NavigateTarget } from '../shared/ipc-contract.ts';
import type { Run, SavedJob } from '../shared/model.ts';
import { initialValues } from '../shared/params.ts';

export interface ElectronMenuItem {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu';
  enabled?: boolean;
  click?: () => void;
  submenu?: ElectronMenuItem[];
}

export interface TrayLike<Image, Menu> {
  setImage(image: Image): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: Menu | null): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

export interface TrayParts<Image, Menu> {
  Tray: new (image: Image) => TrayLike<Image, Menu>;
  Menu: { buildFromTemplate(template: ElectronMenuItem[]): Menu };
  nativeImage: { createFromPath(path: string): Image };
}

export interface TrayControllerDeps {
  platform: NodeJS.Platform;
  /** Icon file per state (a Template image on macOS). */
  icons: Record<TrayIconState, string>;
  listJobs(): Promise<SavedJob[]>;
  /** The latest runs from history, to show recent results from the start. */
  recentRuns(): Promise<Run[]>;
  /** Starts a run; `false` when the values were refused (the form is opened instead). */
  startRun(jobId: string, values: SavedJob['lastValues']): Promise<boolean>;
  /** Shows the window on a screen. */
  navigate(target: NavigateTarget): void;
  openWindow(): void;
  quit(): void;
  isWindowFocused(): boolean;
  clock: Clock;
  onError(message: string, error: unknown): void;
}

export interface TrayController {
  observer: RunObserver;
  /** Reloads the jobs (after jobsChanged) and rebuilds the menu. */
  refreshJobs(): Promise<void>;
  /** The person looked at the window: the failure icon goes back to normal. */
  markFailuresSeen(): void;
  /** History was cleared: recent results go (running jobs stay). */
  forgetEndedRuns(): void;
  dispose(): void;
}

/** How often elapsed times in the menu are brought up to date while something runs. */
export const ELAPSED_REFRESH_MS = 15_000;
const ENDED_RUNS_KEPT = 10;

export function createTrayController<Image, Menu>(
  parts: TrayParts<Image, Menu>,
  deps: TrayControllerDeps,
): TrayController {
  const images = {
    idle: parts.nativeImage.createFromPath(deps.icons.idle),
    running: parts.nativeImage.createFromPath(deps.icons.running),
    failure: parts.nativeImage.createFromPath(deps.icons.failure),
  };
  const tray = new parts.Tray(images.idle);
  let shownIcon: TrayIconState = 'idle';
  let jobs: SavedJob[] = [];
  const runs = new Map<string, Run>();
  let unseenFailure = false;
  let refreshTimer: TimerHandle | undefined;
  let disposed = false;

  // Windows and Linux users expect a left click to open the app; macOS opens the menu.
  if (deps.platform === 'win32') tray.on('click', () => deps.openWindow());

  async function perform(action: TrayAction): Promise<void> {
    switch (action.kind) {
      case 'run-job': {
        let started = false;
        let job: SavedJob | undefined;
        try {
          // The menu may be older than the job: read it again, so a job changed since (now
          // asking for confirmation, or missing a value) opens its form instead of running.
          job = (await deps.listJobs()).find((candidate) => candidate.id === action.jobId);
          if (job && canRunFromTray(job)) {
            started = await deps.startRun(job.id, initialValues(job.params, job.lastValues));
          }
        } catch (error) {
          deps.onError(`Could not run ${job?.name ?? 'the job'} from the tray`, error);
        }
        if (!started) deps.navigate({ screen: 'run-form', jobId: action.jobId, values: {} });
        return;
      }
      case 'open-run-form':
        deps.navigate({ screen: 'run-form', jobId: action.jobId, values: {} });
        return;
      case 'open-run':
        deps.navigate({ screen: 'run', runId: action.runId });
        return;
      case 'quick-launch':
        deps.navigate({ screen: 'quick-launch' });
        return;
      case 'open-window':
        deps.openWindow();
        return;
      case 'quit':
        deps.quit();
        return;
    }
  }

  function toElectron(items: MenuTemplateItem[]): ElectronMenuItem[] {
    return items.map((item) => {
      if (item.type === 'separator') return { type: 'separator' };
      if (item.type === 'submenu') {
        return { type: 'submenu', label: item.label, submenu: toElectron(item.submenu) };
      }
      const action = item.action;
      return {
        type: 'normal',
        label: item.label,
        enabled: item.enabled,
        ...(action ? { click: () => void perform(action) } : {}),
      };
    });
  }

  function scheduleElapsedRefresh(): void {
    const anyActive = [...runs.values()].some(isRunActive);
    if (!anyActive || refreshTimer || disposed) return;
    refreshTimer = deps.clock.setTimeout(() => {
      refreshTimer = undefined;
      render();
    }, ELAPSED_REFRESH_MS);
  }

  function render(): void {
    if (disposed) return;
    const known = [...runs.values()];
    const icon = trayIconState(known, unseenFailure);
    if (icon !== shownIcon) {
      tray.setImage(images[icon]);
      shownIcon = icon;
    }
    tray.setToolTip(trayToolTip(known, unseenFailure));
    const template = buildTrayMenu({ jobs, runs: known, now: deps.clock.now() });
    tray.setContextMenu(parts.Menu.buildFromTemplate(toElectron(template)));
    scheduleElapsedRefresh();
  }

  function remember(run: Run): void {
    runs.set(run.id, run);
    const ended = [...runs.values()]
      .filter((known) => !isRunActive(known))
      .sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
    for (const old of ended.slice(ENDED_RUNS_KEPT)) runs.delete(old.id);
  }

  async function load(): Promise<void> {
    try {
      const [loadedJobs, recent] = await Promise.all([deps.listJobs(), deps.recentRuns()]);
      jobs = loadedJobs;
      // Updates that arrived while loading are newer than history's copy.
      for (const run of recent) if (!runs.has(run.id)) remember(run);
    } catch (error) {
      deps.onError('Could not load the jobs for the tray menu', error);
    }
    render();
  }

  render();
  void load();

  return {
    observer: {
      runUpdated(run) {
        const wasEnded = runs.has(run.id) && runOutcome(runs.get(run.id)!) !== undefined;
        remember(run);
        if (!wasEnded && runOutcome(run) === 'failed' && !deps.isWindowFocused()) {
          unseenFailure = true;
        }
        render();
      },
    },
    async refreshJobs() {
      try {
        jobs = await deps.listJobs();
      } catch (error) {
        deps.onError('Could not load the jobs for the tray menu', error);
      }
      render();
    },
    markFailuresSeen() {
      if (!unseenFailure) return;
      unseenFailure = false;
      render();
    },
    forgetEndedRuns() {
      for (const run of [...runs.values()]) if (!isRunActive(run)) runs.delete(run.id);
      unseenFailure = false;
      render();
    },
    dispose() {
      disposed = true;
      if (refreshTimer) deps.clock.clearTimeout(refreshTimer);
      refreshTimer = undefined;
      tray.destroy();
    },
  };
}
