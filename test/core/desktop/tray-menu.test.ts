import { describe, expect, it } from 'vitest';
import {
  buildTrayMenu,
  canRunFromTray,
  trayIconState,
  trayToolTip,
  type MenuTemplateItem,
} from '../../../app/core/desktop/tray-menu.ts';
import { run, savedJob, T0 } from '../../main/fixtures.ts';

const labels = (menu: MenuTemplateItem[]) =>
  menu.map((item) => (item.type === 'separator' ? '---' : item.label));

function find(menu: MenuTemplateItem[], label: string) {
  const found = menu.find((item) => item.type !== 'separator' && item.label === label);
  if (!found) throw new Error(`No menu item "${label}" in ${labels(menu).join(' | ')}`);
  return found;
}

describe('canRunFromTray', () => {
  const target = { name: 'target', type: 'text', required: true } as const;

  it('runs at once when every required value has a last-used value or a default', () => {
    expect(canRunFromTray(savedJob({ id: 'a', name: 'A' }))).toBe(true);
    expect(
      canRunFromTray(
        savedJob({ id: 'a', name: 'A', params: [target], lastValues: { target: '/x' } }),
      ),
    ).toBe(true);
    expect(
      canRunFromTray(savedJob({ id: 'a', name: 'A', params: [{ ...target, default: '/d' }] })),
    ).toBe(true);
  });

  it('opens the form when a required value is missing or invalid', () => {
    expect(canRunFromTray(savedJob({ id: 'a', name: 'A', params: [target] }))).toBe(false);
    const port = { name: 'port', type: 'number', required: true, min: 1, max: 10 } as const;
    expect(
      canRunFromTray(savedJob({ id: 'a', name: 'A', params: [port], lastValues: { port: 99 } })),
    ).toBe(false);
  });

  it('counts a stored secret, and never runs a job that asks for confirmation', () => {
    const secret = { name: 'pw', type: 'secret', required: true } as const;
    expect(canRunFromTray(savedJob({ id: 'a', name: 'A', params: [secret] }))).toBe(false);
    expect(
      canRunFromTray(savedJob({ id: 'a', name: 'A', params: [secret], savedSecretParams: ['pw'] })),
    ).toBe(true);
    expect(canRunFromTray(savedJob({ id: 'a', name: 'A', confirmBeforeRun: true }))).toBe(false);
  });
});

describe('buildTrayMenu', () => {
  it('lists the tray jobs, favourites first, then Run with parameters, Open and Quit', () => {
    const menu = buildTrayMenu({
      jobs: [
        savedJob({ id: 'a', name: 'Alpha', order: 0 }),
        savedJob({ id: 'b', name: 'Beta', order: 1, favourite: true }),
        savedJob({ id: 'h', name: 'Hidden', order: 2, showInTray: false }),
        savedJob({ id: 'c', name: 'Gamma', order: 3, confirmBeforeRun: true }),
      ],
      runs: [],
      now: T0,
    });
    expect(labels(menu)).toEqual([
      'Run Beta',
      'Run Alpha',
      'Gamma…',
      'Run with parameters…',
      '---',
      'Open AFT! Launcher',
      'Quit',
    ]);
    expect(find(menu, 'Run Beta')).toMatchObject({ action: { kind: 'run-job', jobId: 'b' } });
    expect(find(menu, 'Gamma…')).toMatchObject({ action: { kind: 'open-run-form', jobId: 'c' } });
    const withParameters = find(menu, 'Run with parameters…');
    expect(withParameters.type === 'submenu' && labels(withParameters.submenu)).toEqual([
      'Beta…',
      'Alpha…',
      'Gamma…',
      '---',
      'Find a job…',
    ]);
    expect(find(menu, 'Quit')).toMatchObject({ action: { kind: 'quit' } });
    expect(find(menu, 'Open AFT! Launcher')).toMatchObject({ action: { kind: 'open-window' } });
  });

  it('says how to add jobs when none is shown in the tray', () => {
    const menu = buildTrayMenu({ jobs: [], runs: [], now: T0 });
    expect(menu[0]).toMatchObject({ type: 'normal', enabled: false });
    expect(labels(menu)[0]).toContain('Show in tray');
  });

  it('shows running jobs with their elapsed time and recent results, newest first', () => {
    const at = (ms: number) => new Date(T0 + ms).toISOString();
    const menu = buildTrayMenu({
      jobs: [],
      runs: [
        run({ id: 'r1', state: 'running', jobName: 'Sync', requestedAt: at(0) }),
        run({ id: 'r2', state: 'succeeded', jobName: 'Old', endedAt: at(-3_600_000) }),
        run({ id: 'r3', state: 'failed', jobName: 'Broken', endedAt: at(-120_000) }),
        run({ id: 'r4', state: 'status-unavailable', jobName: 'Blind', updatedAt: at(-10_000) }),
      ],
      now: T0 + 187_000,
    });
    const all = labels(menu);
    expect(all).toContain('Sync: 3:07');
    expect(all.slice(all.indexOf('Recent results') + 1, all.indexOf('Recent results') + 4)).toEqual(
      [
        '? Blind: status unknown (3 min ago)',
        '✗ Broken: failed (5 min ago)',
        '✓ Old: succeeded (1 h ago)',
      ],
    );
    expect(find(menu, 'Sync: 3:07')).toMatchObject({ action: { kind: 'open-run', runId: 'r1' } });
  });

  it('keeps an & in a job name visible instead of making it a mnemonic', () => {
    const menu = buildTrayMenu({
      jobs: [savedJob({ id: 'a', name: 'Backup & Sync' })],
      runs: [],
      now: T0,
    });
    expect(labels(menu)[0]).toBe('Run Backup && Sync');
  });

  it('lists at most 15 tray jobs and 5 results', () => {
    const jobs = Array.from({ length: 30 }, (_, i) =>
      savedJob({ id: `j${i}`, name: `J${i}`, order: i }),
    );
    const runs = Array.from({ length: 20 }, (_, i) => run({ id: `r${i}`, state: 'succeeded' }));
    const menu = buildTrayMenu({ jobs, runs, now: T0 });
    expect(labels(menu).filter((label) => label.startsWith('Run J'))).toHaveLength(15);
    expect(labels(menu).filter((label) => label.startsWith('✓'))).toHaveLength(5);
  });
});

describe('tray icon and tool tip', () => {
  it('is idle, running, or failure (which outranks running) with a matching tool tip', () => {
    const running = [run({ id: 'r', state: 'running' }), run({ id: 's', state: 'queued' })];
    expect(trayIconState([], false)).toBe('idle');
    expect(trayIconState(running, false)).toBe('running');
    expect(trayIconState(running, true)).toBe('failure');
    expect(trayToolTip([], false)).toBe('AFT! Launcher');
    expect(trayToolTip(running, true)).toBe('AFT! Launcher: 2 jobs running, a run failed');
  });
});
