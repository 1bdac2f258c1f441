// How the desktop shell (tray, notifications) reads a run: still going, or ended and how.
import type { Run, RunState } from '../../shared/model.ts';

const ACTIVE_STATES: readonly RunState[] = ['launching', 'queued', 'running', 'unknown'];

export function isRunActive(run: Pick<Run, 'state'>): boolean {
  return ACTIVE_STATES.includes(run.state);
}

/**
 * `failed` covers everything the person must look at: the job failed, it never started, or
 * the launch may or may not have reached the server. `unknown`: it started but this key cannot
 * read its status, so the app cannot tell how it ended.
 */
export type RunOutcome = 'succeeded' | 'failed' | 'unknown';

export function runOutcome(run: Pick<Run, 'state'>): RunOutcome | undefined {
  switch (run.state) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
    case 'not-started':
    case 'uncertain':
      return 'failed';
    case 'status-unavailable':
      return 'unknown';
    default:
      return undefined;
  }
}

/** `42 s`, `3:07`, `1:02:03`. */
export function formatElapsed(milliseconds: number): string {
  const totalSeconds = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (hours > 0) return `${hours}:${two(minutes)}:${two(seconds)}`;
  if (minutes > 0) return `${minutes}:${two(seconds)}`;
  return `${seconds} s`;
}

/** `just now`, `5 min ago`, `3 h ago`, `2 d ago`. */
export function formatAgo(milliseconds: number): string {
  const minutes = Math.floor(Math.max(0, milliseconds) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}
