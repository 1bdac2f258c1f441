// Saved jobs and runs as the services would hand them to the desktop shell.
import type { Run, SavedJob } from '../../app/shared/model.ts';

export const T0 = Date.parse('2026-03-01T10:00:00.000Z');

export function savedJob(overrides: Partial<SavedJob> & { id: string; name: string }): SavedJob {
  return {
    serverId: 'srv-1',
    target: { kind: 'scriptName', value: overrides.name },
    params: [],
    favourite: false,
    showInTray: true,
    notify: 'always',
    confirmBeforeRun: false,
    tags: [],
    presets: [],
    lastValues: {},
    savedSecretParams: [],
    order: 0,
    createdAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    ...overrides,
  };
}

export function run(overrides: Partial<Run> & { id: string; state: Run['state'] }): Run {
  return {
    jobName: 'My Backup Job',
    savedJobId: 'job-1',
    serverId: 'srv-1',
    serverName: 'Local AFT!',
    target: { kind: 'scriptName', value: 'My Backup Job' },
    values: {},
    requestedAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    timeline: [],
    ...overrides,
  };
}
