// What the app says when a run ends, and whether it says anything: the job's rule (always,
// failures only, never) under the global switch in settings.
import type { Run, SavedJob, Settings } from '../../shared/model.ts';
import { runOutcome } from './run-outcome.ts';

export interface RunNotification {
  title: string;
  body: string;
}

export function runEndNotification(
  run: Run,
  job: SavedJob | undefined,
  settings: Pick<Settings, 'notificationsEnabled'>,
): RunNotification | undefined {
  const outcome = runOutcome(run);
  if (!outcome || !settings.notificationsEnabled) return undefined;
  // A run of a job deleted since, or an ad-hoc run, follows the default rule.
  const rule = job?.notify ?? 'always';
  if (rule === 'never' || (rule === 'failures' && outcome !== 'failed')) return undefined;

  const exit = run.exitCode !== undefined ? ` with exit code ${run.exitCode}` : '';
  const where = `on ${run.serverName}`;
  switch (run.state) {
    case 'succeeded':
      return { title: `${run.jobName} succeeded`, body: `Finished ${where}${exit}.` };
    case 'failed':
      return {
        title: `${run.jobName} failed`,
        body: `Failed ${where}${exit}.${run.error ? ` ${run.error.message}` : ''}`,
      };
    case 'not-started':
      return {
        title: `${run.jobName} did not start`,
        body: run.error?.message ?? `The server ${run.serverName} did not start it.`,
      };
    case 'uncertain':
      return {
        title: `${run.jobName} may or may not have started`,
        body: `No answer came from ${run.serverName} after the request was sent. Check the AFT! web UI before running it again.`,
      };
    default:
      return {
        title: `${run.jobName} started`,
        body: `It started ${where}, but this API key cannot read its status. Check the AFT! web UI for how it ended.`,
      };
  }
}
