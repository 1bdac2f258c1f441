import { describe, expect, it } from 'vitest';
import { runEndNotification } from '../../../app/core/desktop/run-notifications.ts';
import type { NotificationRule } from '../../../app/shared/model.ts';
import { run, savedJob } from '../../main/fixtures.ts';

const on = { notificationsEnabled: true };
const job = (notify: NotificationRule) => savedJob({ id: 'job-1', name: 'My Backup Job', notify });

describe('runEndNotification', () => {
  it('says nothing while a run is going', () => {
    for (const state of ['launching', 'queued', 'running', 'unknown'] as const) {
      expect(runEndNotification(run({ id: 'r', state }), job('always'), on)).toBeUndefined();
    }
  });

  it('follows the job rule: always, failures only, never', () => {
    const succeeded = run({ id: 'r', state: 'succeeded', exitCode: 0 });
    const failed = run({ id: 'r', state: 'failed', exitCode: 3 });
    expect(runEndNotification(succeeded, job('always'), on)).toEqual({
      title: 'My Backup Job succeeded',
      body: 'Finished on Local AFT! with exit code 0.',
    });
    expect(runEndNotification(succeeded, job('failures'), on)).toBeUndefined();
    expect(runEndNotification(failed, job('failures'), on)?.title).toBe('My Backup Job failed');
    expect(runEndNotification(failed, job('never'), on)).toBeUndefined();
  });

  it('stays silent when notifications are off in settings', () => {
    const failed = run({ id: 'r', state: 'failed' });
    expect(
      runEndNotification(failed, job('always'), { notificationsEnabled: false }),
    ).toBeUndefined();
  });

  it('counts a launch that never started or may have started as a failure, with what to do', () => {
    const notStarted = run({
      id: 'r',
      state: 'not-started',
      error: { code: 'auth', message: 'The key was refused or this IP is not allowed.' },
    });
    expect(runEndNotification(notStarted, job('failures'), on)).toEqual({
      title: 'My Backup Job did not start',
      body: 'The key was refused or this IP is not allowed.',
    });
    expect(
      runEndNotification(run({ id: 'r', state: 'uncertain' }), job('failures'), on)?.body,
    ).toMatch(/before running it again/);
  });

  it('tells that a started job cannot be followed, under "always" only', () => {
    const blind = run({ id: 'r', state: 'status-unavailable' });
    expect(runEndNotification(blind, job('always'), on)?.body).toMatch(/cannot read its status/);
    expect(runEndNotification(blind, job('failures'), on)).toBeUndefined();
  });

  it('uses the default rule for a run whose job is gone', () => {
    expect(runEndNotification(run({ id: 'r', state: 'succeeded' }), undefined, on)).toBeDefined();
  });
});
