import { describe, expect, it } from 'vitest';
import { ELAPSED_REFRESH_MS, createTrayController } from '../../app/main/tray.ts';
import type { NavigateTarget } from '../../app/shared/ipc-contract.ts';
import type { Run, SavedJob } from '../../app/shared/model.ts';
import { createFakeElectron, type FakeMenuItem, type FakeTray } from '../fakes/electron.ts';
import { FakeClock, flushPromises } from '../helpers/fake-clock.ts';
import { run, savedJob, T0 } from './fixtures.ts';

const icons = {
  idle: '/icons/idle.png',
  running: '/icons/running.png',
  failure: '/icons/failure.png',
};

function setUp(options: { jobs?: SavedJob[]; history?: Run[]; startRun?: boolean | Error } = {}) {
  const electron = createFakeElectron();
  const clock = new FakeClock(T0);
  const navigations: NavigateTarget[] = [];
  const started: { jobId: string; values: unknown }[] = [];
  const calls: string[] = [];
  let jobs = options.jobs ?? [];
  let focused = false;
  const controller = createTrayController(electron, {
    platform: 'linux',
    icons,
    listJobs: async () => jobs,
    recentRuns: async () => options.history ?? [],
    startRun: async (jobId, values) => {
      started.push({ jobId, values });
      if (options.startRun instanceof Error) throw options.startRun;
      return options.startRun ?? true;
    },
    navigate: (target) => navigations.push(target),
    openWindow: () => calls.push('open-window'),
    quit: () => calls.push('quit'),
    isWindowFocused: () => focused,
    clock,
    onError: (message) => calls.push(`error: ${message}`),
  });
  const tray = electron.trays[0] as FakeTray;
  return {
    electron,
    clock,
    controller,
    tray,
    navigations,
    started,
    calls,
    setJobs: (next: SavedJob[]) => (jobs = next),
    focus: (value: boolean) => (focused = value),
    menu: () => tray.menu?.template ?? [],
    click(label: string) {
      const walk = (items: FakeMenuItem[]): FakeMenuItem | undefined =>
        items
          .flatMap((item) => [item, ...(item.submenu ? [walk(item.submenu)] : [])])
          .find((item) => item?.label === label);
      const found = walk(tray.menu?.template ?? []);
      if (!found?.click) throw new Error(`No clickable "${label}"`);
      found.click();
      return flushPromises();
    },
  };
}

const labels = (items: FakeMenuItem[]) => items.map((item) => item.label ?? '---');
const iconPath = (tray: FakeTray) => (tray.image as { path: string }).path;

describe('tray controller', () => {
  const backup = savedJob({
    id: 'job-1',
    name: 'My Backup Job',
    params: [{ name: 'target', type: 'text', required: false, default: '/data' }],
    lastValues: { target: '/srv' },
  });
  const needsInput = savedJob({
    id: 'job-2',
    name: 'Restore',
    params: [{ name: 'from', type: 'text', required: true }],
  });

  it('starts idle and fills the menu with the jobs once they are loaded', async () => {
    const { tray, menu } = setUp({ jobs: [backup, needsInput] });
    expect(iconPath(tray)).toBe(icons.idle);
    await flushPromises();
    expect(labels(menu())).toEqual(
      expect.arrayContaining(['Run My Backup Job', 'Restore…', 'Quit']),
    );
    expect(tray.toolTip).toBe('AFT! Launcher');
  });

  it('runs a job with its last-used values on one click', async () => {
    const t = setUp({ jobs: [backup] });
    await flushPromises();
    await t.click('Run My Backup Job');
    expect(t.started).toEqual([{ jobId: 'job-1', values: { target: '/srv' } }]);
    expect(t.navigations).toEqual([]);
  });

  it('opens the form for a job whose required values are missing, without running it', async () => {
    const t = setUp({ jobs: [needsInput] });
    await flushPromises();
    await t.click('Restore…');
    expect(t.started).toEqual([]);
    expect(t.navigations).toEqual([{ screen: 'run-form', jobId: 'job-2', values: {} }]);
  });

  it('reads the job again on click: one changed to ask for confirmation opens its form', async () => {
    const t = setUp({ jobs: [backup] });
    await flushPromises();
    t.setJobs([{ ...backup, confirmBeforeRun: true }]); // changed, menu not yet rebuilt
    await t.click('Run My Backup Job');
    expect(t.started).toEqual([]);
    expect(t.navigations).toEqual([{ screen: 'run-form', jobId: 'job-1', values: {} }]);
  });

  it('opens the form when the service refuses the values, or cannot start the run', async () => {
    const refused = setUp({ jobs: [backup], startRun: false });
    await flushPromises();
    await refused.click('Run My Backup Job');
    expect(refused.navigations).toEqual([{ screen: 'run-form', jobId: 'job-1', values: {} }]);

    const broken = setUp({ jobs: [backup], startRun: new Error('boom') });
    await flushPromises();
    await broken.click('Run My Backup Job');
    expect(broken.navigations).toHaveLength(1);
    expect(broken.calls).toEqual(['error: Could not run My Backup Job from the tray']);
  });

  it('rebuilds the menu and icon on every run change: running, then an unseen failure', async () => {
    const t = setUp({ jobs: [backup] });
    await flushPromises();
    const before = t.tray.menusBuilt;
    const going = run({ id: 'r1', state: 'running', requestedAt: new Date(T0).toISOString() });
    t.controller.observer.runUpdated(going, backup);
    expect(t.tray.menusBuilt).toBe(before + 1);
    expect(iconPath(t.tray)).toBe(icons.running);
    expect(labels(t.menu())).toContain('My Backup Job: 0 s');
    expect(t.tray.toolTip).toBe('AFT! Launcher: 1 job running');

    t.controller.observer.runUpdated(
      { ...going, state: 'failed', endedAt: new Date(T0).toISOString() },
      backup,
    );
    expect(iconPath(t.tray)).toBe(icons.failure);
    expect(labels(t.menu())).toContain('✗ My Backup Job: failed (just now)');

    t.controller.markFailuresSeen();
    expect(iconPath(t.tray)).toBe(icons.idle);
  });

  it('does not flag a failure the person is looking at', async () => {
    const t = setUp({ jobs: [backup] });
    t.focus(true);
    t.controller.observer.runUpdated(run({ id: 'r1', state: 'failed' }), backup);
    expect(iconPath(t.tray)).toBe(icons.idle);
  });

  it('keeps elapsed times current while something runs, and holds no timer when idle', async () => {
    const t = setUp({ jobs: [backup] });
    await flushPromises();
    expect(t.clock.pendingTimerCount()).toBe(0);
    const going = run({ id: 'r1', state: 'running', requestedAt: new Date(T0).toISOString() });
    t.controller.observer.runUpdated(going, backup);
    await t.clock.advance(ELAPSED_REFRESH_MS * 5);
    expect(labels(t.menu())).toContain('My Backup Job: 1:15');
    t.controller.observer.runUpdated({ ...going, state: 'succeeded' }, backup);
    await t.clock.advance(ELAPSED_REFRESH_MS);
    expect(t.clock.pendingTimerCount()).toBe(0);
  });

  it('shows recent results from history, and opens a run when clicked', async () => {
    const t = setUp({
      history: [run({ id: 'old', state: 'succeeded', endedAt: new Date(T0).toISOString() })],
    });
    await flushPromises();
    await t.click('✓ My Backup Job: succeeded (just now)');
    expect(t.navigations).toEqual([{ screen: 'run', runId: 'old' }]);
  });

  it('reloads jobs on request, and wires Open, Find a job, and Quit', async () => {
    const t = setUp({ jobs: [] });
    await flushPromises();
    t.setJobs([backup]);
    await t.controller.refreshJobs();
    expect(labels(t.menu())).toContain('Run My Backup Job');
    await t.click('Find a job…');
    await t.click('Open AFT! Launcher');
    await t.click('Quit');
    expect(t.navigations).toEqual([{ screen: 'quick-launch' }]);
    expect(t.calls).toEqual(['open-window', 'quit']);
  });

  it('opens the window on a left click on Windows only', () => {
    const electron = createFakeElectron();
    const deps = {
      icons,
      listJobs: async () => [],
      recentRuns: async () => [],
      startRun: async () => true,
      navigate: () => {},
      openWindow: () => opened.push(1),
      quit: () => {},
      isWindowFocused: () => false,
      clock: new FakeClock(T0),
      onError: () => {},
    };
    const opened: number[] = [];
    createTrayController(electron, { ...deps, platform: 'linux' });
    createTrayController(electron, { ...deps, platform: 'win32' });
    electron.trays.forEach((tray) => tray.emit('click'));
    expect(opened).toEqual([1]);
  });

  it('forgets results (not running jobs) when history is cleared', async () => {
    const t = setUp();
    await flushPromises();
    t.controller.observer.runUpdated(run({ id: 'a', state: 'failed', jobName: 'Old' }), undefined);
    t.controller.observer.runUpdated(
      run({ id: 'b', state: 'running', jobName: 'Going' }),
      undefined,
    );
    t.controller.forgetEndedRuns();
    expect(labels(t.menu()).filter((label) => label.includes('Old'))).toEqual([]);
    expect(labels(t.menu())).toContain('Going: 0 s');
    expect(iconPath(t.tray)).toBe(icons.running);
  });

  it('removes the icon when disposed', () => {
    const t = setUp();
    t.controller.dispose();
    expect(t.tray.destroyed).toBe(true);
  });
});
