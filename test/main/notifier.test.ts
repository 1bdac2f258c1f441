import { describe, expect, it } from 'vitest';
import { createNotifier } from '../../app/main/notifier.ts';
import type { NotificationRule } from '../../app/shared/model.ts';
import { createFakeElectron } from '../fakes/electron.ts';
import { run, savedJob } from './fixtures.ts';

function setUp(notificationsEnabled = true) {
  const electron = createFakeElectron();
  const opened: string[] = [];
  const notifier = createNotifier(electron, {
    settings: () => ({ notificationsEnabled }),
    iconPath: '/icons/icon.png',
    openRun: (runId) => opened.push(runId),
  });
  return { electron, notifier, opened };
}
const job = (notify: NotificationRule) => savedJob({ id: 'job-1', name: 'My Backup Job', notify });

describe('run notifications', () => {
  it('notify once when a run ends, and clicking opens the window on that run', () => {
    const { electron, notifier, opened } = setUp();
    notifier.observer.runUpdated(run({ id: 'r1', state: 'running' }), job('always'));
    expect(electron.notifications).toHaveLength(0);
    notifier.observer.runUpdated(run({ id: 'r1', state: 'succeeded', exitCode: 0 }), job('always'));
    notifier.observer.runUpdated(run({ id: 'r1', state: 'succeeded', exitCode: 0 }), job('always'));
    expect(electron.notifications.map((n) => n.title)).toEqual(['My Backup Job succeeded']);
    expect(electron.notifications[0]?.options.icon).toBe('/icons/icon.png');
    electron.notifications[0]?.click();
    expect(opened).toEqual(['r1']);
  });

  it('follow the job rule', () => {
    const { electron, notifier } = setUp();
    notifier.observer.runUpdated(run({ id: 'a', state: 'succeeded' }), job('failures'));
    notifier.observer.runUpdated(run({ id: 'b', state: 'failed' }), job('failures'));
    notifier.observer.runUpdated(run({ id: 'c', state: 'failed' }), job('never'));
    expect(electron.notifications.map((n) => n.title)).toEqual(['My Backup Job failed']);
  });

  it('stay silent when switched off in settings, or when the OS has no notifications', () => {
    const off = setUp(false);
    off.notifier.observer.runUpdated(run({ id: 'a', state: 'failed' }), job('always'));
    expect(off.electron.notifications).toHaveLength(0);

    const unsupported = setUp();
    unsupported.electron.Notification.supported = false;
    unsupported.notifier.observer.runUpdated(run({ id: 'a', state: 'failed' }), job('always'));
    expect(unsupported.electron.notifications).toHaveLength(0);
  });

  it('show the app hints too', () => {
    const { electron, notifier } = setUp();
    let clicked = 0;
    notifier.show({ title: 'Still running', body: 'In the tray.' }, () => (clicked += 1));
    electron.notifications[0]?.click();
    expect(clicked).toBe(1);
  });
});
