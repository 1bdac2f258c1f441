// Quick run in real Chromium against the simulator over HTTPS, through the real main-process
// services: a script run without saving a job first, followed to success, then saved as a job.
import { describe, expect, it } from 'vitest';
import {
  addSimulatorServer,
  captureScreen,
  cspViolations,
  seriousAccessibilityViolations,
  setUpRendererSuite,
} from '../helpers/renderer-harness.ts';

const suite = setUpRendererSuite();

describe('quick run', () => {
  it('runs a script by name without a saved job, then saves it as a job with its values as defaults', async () => {
    const app = await suite.open({
      prepare: (services) => addSimulatorServer(services, suite.simulator).then(() => undefined),
    });
    const { page } = app;
    await page.getByRole('button', { name: 'Quick run…' }).click();
    await page.getByRole('heading', { name: 'Quick run' }).waitFor();

    // An empty target is refused with a message on the field; nothing reaches the server.
    const before = suite.simulator.stats().launchesReceived;
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect
      .poll(() => page.getByText('Enter the script name, ID or file path.').isVisible())
      .toBe(true);
    expect(suite.simulator.stats().launchesReceived).toBe(before);

    await page.getByLabel('Script name').fill('Quick Success');
    await page.getByRole('button', { name: 'Add parameter' }).click();
    const first = page.getByRole('group', { name: 'Parameter 1' });
    await first.getByLabel('Name').fill('dest');
    await first.getByLabel('Value').fill('/try/out');
    await page.getByRole('button', { name: 'Add parameter' }).click();
    const second = page.getByRole('group', { name: 'Parameter 2' });
    await second.getByLabel('Name').fill('mode');
    await second.getByLabel('Value').fill('full');
    await page.getByRole('button', { name: 'Add parameter' }).click();
    await page.getByRole('group', { name: 'Parameter 3' }).getByLabel('Name').fill('dropped');
    await page.getByRole('button', { name: 'Remove parameter 3 (dropped)' }).click();
    await expect
      .poll(async () => JSON.parse((await page.getByTestId('request-body').textContent()) ?? ''))
      .toEqual({ scriptName: 'Quick Success', params: { dest: '/try/out', mode: 'full' } });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await captureScreen(page, 'quick-run');

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('heading', { name: 'Run of “Quick Success”' }).waitFor();
    await expect
      .poll(() => page.getByTestId('run-state').textContent(), { timeout: 10_000 })
      .toBe('Succeeded');
    const jobId = (await page.getByTestId('run-job-id').textContent()) ?? '';
    expect(suite.simulator.job(jobId)?.params).toEqual({ dest: '/try/out', mode: 'full' });
    expect(suite.simulator.stats().launchesReceived).toBe(before + 1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // History lists it under the script's name.
    await page.getByRole('button', { name: 'History', exact: true }).first().click();
    await page
      .getByTestId('run-list')
      .getByRole('option', { name: /Quick Success \(ad-hoc\)/ })
      .waitFor();
    await page.getByRole('button', { name: 'Open run' }).click();

    await page.getByRole('button', { name: 'Save as job…' }).click();
    await page.getByRole('heading', { name: 'New job' }).waitFor();
    expect(await page.getByLabel('Script name').inputValue()).toBe('Quick Success');
    await page.getByLabel('Name', { exact: true }).fill('Try out');
    const definition = page.getByRole('region', { name: /^Parameter 1/ });
    expect(await definition.getByLabel('Name (sent in params)').inputValue()).toBe('dest');
    expect(await definition.getByLabel('Default').inputValue()).toBe('/try/out');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save job' }).click();
    await page.getByRole('option', { name: /Try out/ }).waitFor();
    expect(app.services.jobs.list()).toMatchObject([
      {
        name: 'Try out',
        target: { kind: 'scriptName', value: 'Quick Success' },
        params: [
          { name: 'dest', type: 'text', required: false, default: '/try/out' },
          { name: 'mode', type: 'text', required: false, default: 'full' },
        ],
      },
    ]);
    expect(await cspViolations(page)).toEqual([]);
  });
});
