// The tray's menu as a pure function of what the app knows, so that every rule (which jobs,
// what one click does, what is running) is unit-tested without Electron. The adapter in
// app/main/tray.ts turns the actions into click handlers.
import type { Run, SavedJob } from '../../shared/model.ts';
import { initialValues, validateParams } from '../../shared/params.ts';
import { formatAgo, formatElapsed, isRunActive, runOutcome } from './run-outcome.ts';

export type TrayAction =
  /** Runs at once with the last-used or default values. */
  | { kind: 'run-job'; jobId: string }
  | { kind: 'open-run-form'; jobId: string }
  | { kind: 'open-run'; runId: string }
  | { kind: 'quick-launch' }
  | { kind: 'open-window' }
  | { kind: 'quit' };

export type MenuTemplateItem =
  | { type: 'separator' }
  | { type: 'normal'; label: string; enabled: boolean; action?: TrayAction }
  | { type: 'submenu'; label: string; submenu: MenuTemplateItem[] };

export interface TrayMenuState {
  jobs: readonly SavedJob[];
  /** Runs known to the app, in any order; active ones are listed, ended ones are recent results. */
  runs: readonly Run[];
  now: number;
}

export const TRAY_JOB_LIMIT = 15;
export const RECENT_RESULT_LIMIT = 5;

/** Electron reads `&` as a mnemonic marker; a job called "Backup & Sync" must show its `&`. */
function menuText(text: string): string {
  return text.replace(/&/g, '&&');
}

function item(label: string, action?: TrayAction): MenuTemplateItem {
  return action
    ? { type: 'normal', label, enabled: true, action }
    : { type: 'normal', label, enabled: false };
}

/**
 * Whether one click may run the job: it does not ask for confirmation, and the values its run
 * form would start with (last-used, else defaults; stored secrets count) pass validation. The
 * service validates again when the run starts; a refusal there opens the form too.
 */
export function canRunFromTray(job: SavedJob): boolean {
  if (job.confirmBeforeRun) return false;
  const values = initialValues(job.params, job.lastValues);
  return validateParams(job.params, values, { savedSecretParams: job.savedSecretParams }).ok;
}

/** The jobs the tray lists: those marked "show in tray", favourites first, in the person's order. */
export function trayJobs(jobs: readonly SavedJob[]): SavedJob[] {
  return jobs
    .filter((job) => job.showInTray)
    .sort((a, b) => Number(b.favourite) - Number(a.favourite) || a.order - b.order)
    .slice(0, TRAY_JOB_LIMIT);
}

function resultLabel(run: Run, now: number): string {
  const outcome = runOutcome(run);
  const ended = Date.parse(run.endedAt ?? run.updatedAt);
  const ago = Number.isFinite(ended) ? ` (${formatAgo(now - ended)})` : '';
  const word =
    outcome === 'succeeded' ? 'succeeded' : outcome === 'failed' ? 'failed' : 'status unknown';
  const mark = outcome === 'succeeded' ? '✓' : outcome === 'failed' ? '✗' : '?';
  return `${mark} ${menuText(run.jobName)}: ${word}${ago}`;
}

export function buildTrayMenu(state: TrayMenuState): MenuTemplateItem[] {
  const menu: MenuTemplateItem[] = [];
  const jobs = trayJobs(state.jobs);

  if (jobs.length === 0) {
    menu.push(item('No jobs in the tray yet (choose "Show in tray" in a job)'));
  } else {
    for (const job of jobs) {
      const runsAtOnce = canRunFromTray(job);
      menu.push(
        item(
          runsAtOnce ? `Run ${menuText(job.name)}` : `${menuText(job.name)}…`,
          runsAtOnce
            ? { kind: 'run-job', jobId: job.id }
            : { kind: 'open-run-form', jobId: job.id },
        ),
      );
    }
  }
  menu.push({
    type: 'submenu',
    label: 'Run with parameters…',
    submenu: [
      ...jobs.map((job) =>
        item(`${menuText(job.name)}…`, { kind: 'open-run-form', jobId: job.id }),
      ),
      ...(jobs.length > 0 ? [{ type: 'separator' } as const] : []),
      item('Find a job…', { kind: 'quick-launch' }),
    ],
  });

  const active = state.runs
    .filter(isRunActive)
    .sort((a, b) => Date.parse(a.requestedAt) - Date.parse(b.requestedAt));
  if (active.length > 0) {
    menu.push({ type: 'separator' }, item('Running'));
    for (const run of active) {
      const elapsed = formatElapsed(state.now - Date.parse(run.requestedAt));
      menu.push(item(`${menuText(run.jobName)}: ${elapsed}`, { kind: 'open-run', runId: run.id }));
    }
  }

  const recent = state.runs
    .filter((run) => runOutcome(run) !== undefined)
    .sort((a, b) => Date.parse(b.endedAt ?? b.updatedAt) - Date.parse(a.endedAt ?? a.updatedAt))
    .slice(0, RECENT_RESULT_LIMIT);
  if (recent.length > 0) {
    menu.push({ type: 'separator' }, item('Recent results'));
    for (const run of recent) {
      menu.push(item(resultLabel(run, state.now), { kind: 'open-run', runId: run.id }));
    }
  }

  menu.push(
    { type: 'separator' },
    item('Open AFT! Launcher', { kind: 'open-window' }),
    item('Quit', { kind: 'quit' }),
  );
  return menu;
}

export type TrayIconState = 'idle' | 'running' | 'failure';

/** A failure the person has not seen yet outranks activity: it is what needs their attention. */
export function trayIconState(runs: readonly Run[], unseenFailure: boolean): TrayIconState {
  if (unseenFailure) return 'failure';
  return runs.some(isRunActive) ? 'running' : 'idle';
}

export function trayToolTip(runs: readonly Run[], unseenFailure: boolean): string {
  const running = runs.filter(isRunActive).length;
  const parts: string[] = [];
  if (running > 0) parts.push(`${running} job${running === 1 ? '' : 's'} running`);
  if (unseenFailure) parts.push('a run failed');
  return parts.length === 0 ? 'AFT! Launcher' : `AFT! Launcher: ${parts.join(', ')}`;
}
