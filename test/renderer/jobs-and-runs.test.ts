// Saved jobs, the run form, live runs and history in real Chromium, against the suite.simulator over
// HTTPS through the real main-process services: what a person sees when a job succeeds, fails,
// cannot be followed, or cannot start (wrong key, server down, changed certificate).
import { describe, expect, it } from 'vitest';
import {
  addSimulatorServer,
  captureScreen,
  cspViolations,
  saveJob,
  seriousAccessibilityViolations,
  setUpRendererSuite,
  type Page,
} from '../helpers/renderer-harness.ts';
import { startTestSimulator } from '../helpers/simulator.ts';

const suite = setUpRendererSuite();

/** Opens a job's run form from the jobs list, by searching for it and pressing Enter. */
async function openRunForm(page: Page, jobName: string) {
  const search = page.getByRole('combobox', { name: 'Search jobs' });
  await search.fill(jobName);
  await search.press('Enter');
  await page.getByRole('heading', { name: `Run “${jobName}”` }).waitFor();
}

async function runState(page: Page, state: string) {
  await expect
    .poll(() => page.getByTestId('run-state').textContent(), { timeout: 10_000 })
    .toBe(state);
}

async function expectAccessible(page: Page) {
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
}

describe('jobs and runs', () => {
  it('creates a job with typed parameters, refuses invalid values before sending, and runs it to success', async () => {
    const app = await suite.open({
      prepare: (services) => addSimulatorServer(services, suite.simulator).then(() => undefined),
    });
    const { page } = app;
    await page.getByRole('button', { name: 'Create your first job' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Nightly backup');
    await page.getByLabel('Script name').fill('Quick Success');
    await page.getByLabel('Tags').fill('nightly, backups');

    await page.getByRole('button', { name: 'Add parameter' }).click();
    const first = page.getByRole('region', { name: /^Parameter 1/ });
    await first.getByLabel('Name (sent in params)').fill('dest');
    await first.getByLabel('Label (shown in the form)').fill('Destination');
    await first.getByLabel('Required').check();

    await page.getByRole('button', { name: 'Add parameter' }).click();
    const second = page.getByRole('region', { name: /^Parameter 2/ });
    await second.getByLabel('Name (sent in params)').fill('count');
    await second.getByLabel('Type').selectOption('number');
    await second.getByLabel('Minimum').fill('1');
    await second.getByLabel('Maximum').fill('10');
    await second.getByLabel('Default').fill('3');

    await page.getByRole('button', { name: 'Add parameter' }).click();
    const third = page.getByRole('region', { name: /^Parameter 3/ });
    await third.getByLabel('Name (sent in params)').fill('mode');
    await third.getByLabel('Type').selectOption('choice');
    await third.getByLabel('Allowed values').fill('full\nincremental');
    await third.getByLabel('Required').check();
    // Reordering: "mode" moves above "count".
    await page.getByRole('button', { name: 'Move mode up' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: /^Parameter 2/ })
          .getByLabel('Name (sent in params)')
          .inputValue(),
      )
      .toBe('mode');
    await expectAccessible(page);
    await captureScreen(page, 'job-editor');
    await page.getByRole('button', { name: 'Save job' }).click();

    await page.getByRole('option', { name: /Nightly backup/ }).waitFor();
    expect(app.services.jobs.list()).toMatchObject([
      {
        name: 'Nightly backup',
        tags: ['nightly', 'backups'],
        params: [
          { name: 'dest', label: 'Destination', type: 'text', required: true },
          { name: 'mode', type: 'choice', allowedValues: ['full', 'incremental'], required: true },
          { name: 'count', type: 'number', min: 1, max: 10, default: 3 },
        ],
      },
    ]);

    await openRunForm(page, 'Nightly backup');
    // The default is prefilled; nothing is valid yet, so nothing can be sent.
    expect(await page.getByLabel('count').inputValue()).toBe('3');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByText('Destination is required.').isVisible()).toBe(true);
    await page.getByLabel('count').fill('42');
    await page.getByLabel('count').blur();
    await expect.poll(() => page.getByText('count must be at most 10.').isVisible()).toBe(true);
    expect(suite.simulator.stats().launchesReceived).toBe(0);

    await page.getByLabel('Destination (required)').fill('/backups/nightly');
    await page.getByLabel('mode (required)').selectOption('incremental');
    await page.getByLabel('count').fill('5');
    const body = page.getByTestId('request-body');
    await expect
      .poll(async () => JSON.parse((await body.textContent()) ?? 'null'))
      .toEqual({
        scriptName: 'Quick Success',
        params: { dest: '/backups/nightly', mode: 'incremental', count: 5 },
      });
    await expectAccessible(page);
    await captureScreen(page, 'run-form');

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await runState(page, 'Succeeded');
    const jobId = await page.getByTestId('run-job-id').textContent();
    expect(suite.simulator.job(jobId ?? '')?.params).toEqual({
      dest: '/backups/nightly',
      mode: 'incremental',
      count: 5,
    });
    expect(await page.getByTestId('run-timeline').textContent()).toMatch(/Launching.*Succeeded/);
    expect(await page.getByTestId('run-exit-code').textContent()).toBe('0');
    expect(await page.getByTestId('run-raw').textContent()).toContain(jobId);
    await expectAccessible(page);
    await captureScreen(page, 'run-succeeded');
    expect(await cspViolations(page)).toEqual([]);
  });

  it('asks before a job that wants confirmation, shows a failure with its exit code, and re-runs it from history', async () => {
    const app = await suite.open({
      prepare: async (services) => {
        const server = await addSimulatorServer(services, suite.simulator);
        await saveJob(services, server.id, 'Sync partners', {
          target: { kind: 'scriptName', value: 'Quick Failure' },
          confirmBeforeRun: true,
        });
      },
    });
    const { page } = app;
    const before = suite.simulator.stats().launchesReceived;
    await openRunForm(page, 'Sync partners');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Run “Sync partners” now?' });
    await dialog.waitFor();
    // Focus starts on the dialog's action, stays inside it, and Escape closes it without running.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Run now');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
    await expectAccessible(page);
    await captureScreen(page, 'run-confirm');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(suite.simulator.stats().launchesReceived).toBe(before);

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('button', { name: 'Run now' }).click();
    await runState(page, 'Failed');
    expect(await page.getByTestId('run-exit-code').textContent()).toBe('3');
    expect(await page.getByTestId('run-error').textContent()).toContain('exit code 3');
    await captureScreen(page, 'run-failed');

    await page.getByRole('button', { name: 'History', exact: true }).first().click();
    const list = page.getByTestId('run-list');
    await list.getByRole('option', { name: /Sync partners/ }).waitFor();
    await list.focus();
    await page.getByRole('button', { name: 'Re-run' }).click();
    await runState(page, 'Failed');
    expect(suite.simulator.stats().launchesReceived).toBe(before + 2);

    await page.getByRole('button', { name: 'History', exact: true }).first().click();
    await expect.poll(() => page.getByTestId('history-count').textContent()).toBe('2 runs');
    await page.getByLabel('State').selectOption('succeeded');
    await expect
      .poll(() => page.getByTestId('history-count').textContent())
      .toBe('0 runs match the filter');
    await page.getByLabel('State').selectOption('failed');
    await expect
      .poll(() => page.getByTestId('history-count').textContent())
      .toBe('2 runs match the filter');
    // Keyboard: Enter on the selected run opens it.
    await list.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Run of “Sync partners”' }).waitFor();
    await page.getByRole('button', { name: 'History', exact: true }).first().click();
    await list.getByRole('option').first().waitFor();
    await expectAccessible(page);
    await captureScreen(page, 'history');
  });

  it('says the job started but cannot be followed when the status endpoint refuses the key', async () => {
    suite.simulator.injectFault({
      endpoint: 'status',
      fault: { kind: 'status-refuses-key', status: 403 },
    });
    const app = await suite.open({
      prepare: async (services) => {
        const server = await addSimulatorServer(services, suite.simulator);
        await saveJob(services, server.id, 'Archive logs', {
          target: { kind: 'scriptName', value: 'Short Job' },
        });
      },
    });
    const { page } = app;
    await openRunForm(page, 'Archive logs');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await runState(page, 'Started, status unavailable');
    const alert = page.getByTestId('run-error');
    expect(await alert.textContent()).toContain('AFT! web UI');
    expect(await page.getByTestId('run-job-id').textContent()).not.toBe('—');
    await alert.getByRole('button', { name: 'Open the AFT! web UI' }).click();
    await expect
      .poll(() => app?.openedUrls)
      .toEqual([expect.stringContaining(new URL(suite.simulator.url).host)]);
    await expectAccessible(page);
    await captureScreen(page, 'run-status-unavailable');
  });

  it('saves the values as a named preset and renames the server, refusing empty names', async () => {
    const app = await suite.open({
      prepare: async (services) => {
        const server = await addSimulatorServer(services, suite.simulator);
        await saveJob(services, server.id, 'Archive', {
          params: [{ name: 'dest', type: 'text', required: true }],
        });
      },
    });
    const { page, services } = app;
    await openRunForm(page, 'Archive');
    await page.getByLabel('dest').fill('/srv/archive');
    await page.getByRole('button', { name: 'Save these values as a preset' }).click();
    const presetDialog = page.getByRole('dialog', { name: 'Save as a preset' });
    await presetDialog.getByRole('button', { name: 'Save preset' }).click();
    await expect
      .poll(() => presetDialog.getByRole('alert').textContent())
      .toBe('Give the preset a name.');
    await presetDialog.getByLabel('Preset name').fill('  Month end  ');
    await presetDialog.getByRole('button', { name: 'Save preset' }).click();
    await presetDialog.waitFor({ state: 'hidden' });
    const [job] = await services.handlers['jobs.list']({});
    expect(job?.presets).toEqual([{ name: 'Month end', values: { dest: '/srv/archive' } }]);

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('button', { name: 'Rename' }).first().click();
    const renameDialog = page.getByRole('dialog', { name: /^Rename/ });
    await renameDialog.getByLabel('Name').fill('Head office');
    await renameDialog.getByRole('button', { name: 'Rename' }).click();
    await renameDialog.waitFor({ state: 'hidden' });
    const [server] = await services.handlers['servers.list']({});
    expect(server?.name).toBe('Head office');
  });

  it('says the key was refused at run time and lets the person set a new one in settings', async () => {
    const app = await suite.open({
      prepare: async (services) => {
        const server = await addSimulatorServer(services, suite.simulator, 'a-wrong-key');
        await saveJob(services, server.id, 'Rotate keys');
      },
    });
    const { page } = app;
    const before = suite.simulator.stats().jobsCreated;
    await openRunForm(page, 'Rotate keys');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await runState(page, 'Not started');
    const alert = page.getByTestId('run-error');
    expect(await alert.textContent()).toMatch(/allow-list/);
    expect(suite.simulator.stats().jobsCreated).toBe(before);
    await captureScreen(page, 'run-wrong-key');

    await alert.getByRole('button', { name: 'Open server settings' }).click();
    await page.getByRole('button', { name: 'Set API key' }).click();
    await page.getByRole('dialog').getByLabel('API key').fill(suite.simulator.apiKey);
    await page.getByRole('button', { name: 'Save key and test' }).click();
    await expect
      .poll(() => page.getByTestId('connection-result').textContent())
      .toContain('Connected.');
    await page.getByRole('button', { name: 'Jobs', exact: true }).click();
    await openRunForm(page, 'Rotate keys');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await runState(page, 'Succeeded');
  });

  it('says the server cannot be reached when it is down, without reporting a launch', async () => {
    const down = await startTestSimulator();
    const app = await suite.open({
      prepare: async (services) => {
        const server = await addSimulatorServer(services, down);
        await saveJob(services, server.id, 'Weekly report');
      },
    });
    await down.cleanup();
    const { page } = app;
    await openRunForm(page, 'Weekly report');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await runState(page, 'Not started');
    const shown = await page.getByTestId('run-error').textContent();
    expect(shown).toContain('the connection was refused. Check that AFT! is running');
    // Said once: the message carries its own next step, not repeated by the window.
    expect(shown?.match(/Check that/g)).toHaveLength(1);
    await expectAccessible(page);
    await captureScreen(page, 'run-server-down');
  });

  it('refuses a changed certificate, then re-pins it showing the old and new fingerprints side by side', async () => {
    const changing = await startTestSimulator();
    const oldFingerprint = changing.fingerprint256;
    try {
      const app = await suite.open({
        prepare: async (services) => {
          const server = await addSimulatorServer(services, changing);
          await saveJob(services, server.id, 'Mirror site');
        },
      });
      await changing.restart({ newCert: true });
      expect(changing.fingerprint256).not.toBe(oldFingerprint);
      const { page } = app;
      await openRunForm(page, 'Mirror site');
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await runState(page, 'Not started');
      const alert = page.getByTestId('run-error');
      expect(await alert.textContent()).toMatch(/certificate/i);
      expect(changing.stats().launchesReceived).toBe(0);
      await captureScreen(page, 'run-certificate-changed');

      await alert.getByRole('button', { name: 'Open server settings' }).click();
      await page.getByRole('button', { name: 'Re-pin certificate' }).click();
      await page.getByRole('button', { name: 'Fetch the current certificate' }).click();
      const compare = page.getByTestId('repin-compare');
      await compare.waitFor();
      const shown = await compare.getByTestId('fingerprint').allTextContents();
      expect(shown).toEqual([oldFingerprint, changing.fingerprint256]);
      await expectAccessible(page);
      await captureScreen(page, 'settings-repin');
      await page.getByRole('button', { name: 'Trust the new certificate' }).click();
      await compare.waitFor({ state: 'detached' });
      expect(app.services.servers.list()[0]?.pinnedCertificate?.fingerprint256).toBe(
        changing.fingerprint256,
      );

      await page.getByRole('button', { name: 'Jobs', exact: true }).click();
      await openRunForm(page, 'Mirror site');
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await runState(page, 'Succeeded');
    } finally {
      await changing.cleanup();
    }
  });
});
