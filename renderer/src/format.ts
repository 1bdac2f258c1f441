// How times, durations and states read in the window.
import type { Run, RunState } from '../../app/shared/model.ts';
import type { TargetKind } from '../../app/shared/job.ts';

const STATE_LABELS: Record<RunState, string> = {
  launching: 'Launching',
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  unknown: 'Running (state unknown)',
  'not-started': 'Not started',
  uncertain: 'Uncertain',
  'status-unavailable': 'Started, status unavailable',
};

/**
 * Every run state, in the contract's order. Taken from the labels (which the type keeps complete)
 * rather than from model.ts: importing a value from model.ts would bundle zod into the window.
 */
export const RUN_STATES_LISTED = Object.keys(STATE_LABELS) as RunState[];

export function stateLabel(state: RunState): string {
  return STATE_LABELS[state];
}

/** Still going, as far as the window can tell: the clock keeps ticking. */
export function isActive(run: Run): boolean {
  return (
    run.state === 'launching' ||
    run.state === 'queued' ||
    run.state === 'running' ||
    run.state === 'unknown'
  );
}

export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${minutes}:${two(seconds)}`;
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export function formatDate(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString();
}

export function elapsedMs(run: Run, now: number): number {
  const start = Date.parse(run.requestedAt);
  const end = run.endedAt
    ? Date.parse(run.endedAt)
    : isActive(run)
      ? now
      : Date.parse(run.updatedAt);
  return end - start;
}

export const TARGET_LABELS = {
  scriptName: 'Script name',
  scriptId: 'Script ID',
  filePath: 'File path on the server',
} as const;

/** What to enter for each kind of target, shown under its input. */
export const TARGET_HINTS: Record<TargetKind, string> = {
  scriptName: 'The script’s name as the AFT! web UI shows it (letter case does not matter).',
  scriptId: 'The script’s ID, e.g. p3fEoexohdHj6SXrvuT8H8 (kept for AFT! v3 integrations).',
  filePath: 'The full path of a .syncjs file on the server’s disk.',
};
