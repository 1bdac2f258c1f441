// Smoke test of the real app in a real Electron: launched with --demo, a demo job is run from
// the window (through the sandboxed preload and IPC) to the end, and the notification and the
// tray are checked. It needs an Electron binary (and a display on Linux); where there is none it
// is reported as skipped, with the reason in its name, and never as passed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElectronApplication, Page } from 'playwright';

const root = path.resolve(import.meta.dirname, '../..');

/** Finds the binary as electron's own index.js would, without loading it (it downloads). */
function findElectron(): { binary: string } | { reason: string } {
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve('electron/package.json');
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = path.join(path.dirname(packageJson), 'path.txt');
  if (!fs.existsSync(pathFile)) {
    return {
      reason: 'no Electron binary on this machine (node_modules/electron/path.txt is missing)',
    };
  }
  const binary = path.join(
    path.dirname(packageJson),
    'dist',
    fs.readFileSync(pathFile, 'utf8').trim(),
  );
  if (!fs.existsSync(binary)) return { reason: `the Electron binary ${binary} is missing` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'no display (run the tests under xvfb-run)' };
  }
  return { binary };
}

const electron = findElectron();
const reason = 'reason' in electron ? electron.reason : undefined;
// Said in the log too, so a skipped run is never mistaken for a passing one.
if (reason) console.warn(`Electron smoke test skipped: ${reason}`);

interface Recorded {
  notifications: { title: string; body: string }[];
  toolTips: string[];
}

describe.skipIf(reason !== undefined)(
  `Electron smoke test${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'aft-smoke-'));
    let app: ElectronApplication;
    let page: Page;

    beforeAll(async () => {
      execFileSync(process.execPath, ['scripts/build-app.mjs'], { cwd: root, stdio: 'pipe' });
      const { _electron } = await import('playwright');
      app = await _electron.launch({
        executablePath: (electron as { binary: string }).binary,
        cwd: root,
        args: [
          'dist/app/main.js',
          '--demo',
          `--user-data-dir=${userData}`,
          // Chromium refuses to start as root (CI containers) with its OS sandbox on.
          ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        ],
        env: { ...process.env, XDG_CONFIG_HOME: path.join(userData, 'config') } as Record<
          string,
          string
        >,
      });
      // Record what the app shows outside its window from here on.
      await app.evaluate(({ Notification, Tray }) => {
        const recorded: Recorded = { notifications: [], toolTips: [] };
        (globalThis as unknown as { __recorded: Recorded }).__recorded = recorded;
        const show = Notification.prototype.show;
        Notification.prototype.show = function (this: Electron.Notification) {
          recorded.notifications.push({ title: this.title, body: this.body });
          return show.call(this);
        };
        const setToolTip = Tray.prototype.setToolTip;
        Tray.prototype.setToolTip = function (this: Electron.Tray, toolTip: string) {
          recorded.toolTips.push(toolTip);
          return setToolTip.call(this, toolTip);
        };
      });
      page = await app.firstWindow();
    }, 120_000);

    afterAll(async () => {
      await app?.close();
      fs.rmSync(userData, { recursive: true, force: true });
    });

    const recorded = () =>
      app.evaluate(() => (globalThis as unknown as { __recorded: Recorded }).__recorded);

    it('loads the window from app:// in a sandbox with only window.aft', async () => {
      expect(page.url()).toBe('app://aft/index.html');
      const globals = await page.evaluate(() => ({
        aft: typeof (window as unknown as { aft?: unknown }).aft,
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
      }));
      expect(globals).toEqual({ aft: 'object', require: 'undefined', process: 'undefined' });
    });

    it('runs a demo job to the end, notifies, and shows it in the tray', async () => {
      type Bridge = {
        servers: {
          list(input: object): Promise<{ ok: boolean; value: { id: string; isDemo: boolean }[] }>;
        };
        jobs: { save(input: object): Promise<{ ok: boolean; value: { id: string } }> };
        runs: { start(input: object): Promise<{ ok: boolean }> };
      };
      await expect
        .poll(
          () =>
            page.evaluate(async () => {
              const aft = (window as unknown as { aft: Bridge }).aft;
              const servers = await aft.servers.list({});
              return servers.ok && servers.value.some((server) => server.isDemo);
            }),
          { timeout: 30_000 },
        )
        .toBe(true);
      const started = await page.evaluate(async () => {
        const aft = (window as unknown as { aft: Bridge }).aft;
        const servers = await aft.servers.list({});
        const demo = servers.value.find((server) => server.isDemo)!;
        const job = await aft.jobs.save({
          name: 'Rotate Logs',
          serverId: demo.id,
          target: { kind: 'scriptName', value: 'Rotate Logs' },
          showInTray: true,
        });
        return aft.runs.start({ jobId: job.value.id, values: {} });
      });
      expect(started.ok).toBe(true);

      await expect
        .poll(async () => (await recorded()).notifications.map((n) => n.title), { timeout: 30_000 })
        .toContain('Rotate Logs succeeded');
      const toolTips = (await recorded()).toolTips;
      expect(toolTips).toContain('AFT! Launcher: 1 job running');
      expect(toolTips.at(-1)).toBe('AFT! Launcher');
    });
  },
);
