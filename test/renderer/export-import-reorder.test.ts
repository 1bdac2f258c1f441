// Sharing saved jobs (export to a file or the clipboard, import a file or pasted JSON) and the
// person's own order of the jobs list, in real Chromium against the real main-process services.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { MainServices } from '../../app/core/main-services.ts';
import type { SavedJob } from '../../app/shared/model.ts';
import {
  addSimulatorServer,
  captureScreen,
  cspViolations,
  saveJob,
  seriousAccessibilityViolations,
  setUpRendererSuite,
  type AppUnderTest,
  type Page,
} from '../helpers/renderer-harness.ts';

const suite = setUpRendererSuite();

async function open(prepare: (services: MainServices) => Promise<void>): Promise<AppUnderTest> {
  const app = await suite.open({ prepare });
  await app.page.getByRole('heading', { name: 'Jobs' }).waitFor();
  return app;
}

const SECRET_VALUE = 'hunter2-never-exported';

/** The job names as the list shows them, top to bottom. */
function listedNames(page: Page): Promise<string[]> {
  return page
    .getByTestId('job-list')
    .locator('.title')
    .evaluateAll((titles) => titles.map((title) => title.firstChild?.textContent ?? ''));
}

/** What a job is, apart from where it is stored: what an export must carry across. */
function shareable(job: SavedJob) {
  return {
    name: job.name,
    target: job.target,
    params: job.params,
    favourite: job.favourite,
    tags: job.tags,
    notify: job.notify,
  };
}

describe('exporting and importing saved jobs', () => {
  it('downloads the jobs without keys or secrets, copies them, and imports the file into another app', async () => {
    const sender = await open(async (services) => {
      const server = await addSimulatorServer(services, suite.simulator);
      await saveJob(services, server.id, 'Nightly backup', { favourite: true, tags: ['ops'] });
      const deploy = await saveJob(services, server.id, 'Deploy site', {
        tags: ['web'],
        params: [
          { name: 'branch', type: 'text', required: true, default: 'main' },
          { name: 'token', type: 'secret', required: false },
        ],
      });
      // A run leaves last-used values behind, the secret one in the secret store.
      const started = await services.handlers['runs.start']({
        jobId: deploy.id,
        values: { branch: 'release', token: SECRET_VALUE },
      });
      if (!started.ok) throw new Error(started.message);
      await saveJob(services, server.id, 'Weekly report');
    });
    const { page } = sender;

    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export jobs' });
    await expect
      .poll(() => dialog.getByTestId('export-summary').textContent())
      .toBe('3 jobs and 1 server, ready to save or copy.');
    expect(await dialog.textContent()).toContain('API keys and secret values are not included.');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await captureScreen(page, 'export-jobs');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('link', { name: 'Download file' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^aft-launcher-jobs-\d{4}-\d{2}-\d{2}\.json$/);
    const filePath = await download.path();
    const fileText = await readFile(filePath, 'utf8');
    expect(fileText).not.toContain(suite.simulator.apiKey);
    expect(fileText).not.toContain(SECRET_VALUE);
    expect(fileText).not.toContain('release');
    expect(
      (JSON.parse(fileText) as { jobs: { name: string }[] }).jobs.map((job) => job.name),
    ).toEqual(['Nightly backup', 'Deploy site', 'Weekly report']);

    // Copy puts the same text on the clipboard (through main), and says so.
    await dialog.getByRole('button', { name: 'Copy' }).click();
    await dialog.getByText('Copied to the clipboard.').waitFor();
    expect(sender.clipboard).toEqual([fileText]);

    // Only the selected job: Escape closes, and the export offers just that one.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('combobox', { name: 'Search jobs' }).fill('deploy');
    await page.getByRole('button', { name: 'Export…' }).click();
    await dialog.getByRole('radio', { name: 'Only “Deploy site”' }).check();
    await expect
      .poll(() => dialog.getByTestId('export-summary').textContent())
      .toBe('1 job and 1 server, ready to save or copy.');
    await page.keyboard.press('Escape');
    const sent = await sender.services.handlers['jobs.list']({});

    // Someone else, with their own key for the same server, imports the downloaded file.
    const receiver = await open(async (services) => {
      await addSimulatorServer(services, suite.simulator);
    });
    await receiver.page.getByRole('button', { name: 'Import…' }).click();
    const importDialog = receiver.page.getByRole('dialog', { name: 'Import jobs' });
    await importDialog.getByLabel('Exported file').setInputFiles(filePath);
    await importDialog.getByText(/^Chosen: /).waitFor();
    await importDialog.getByRole('button', { name: 'Import' }).click();
    const report = importDialog.getByTestId('import-report');
    await expect.poll(() => report.textContent()).toBe('Imported 3 jobs.');
    await importDialog.getByRole('button', { name: 'Done' }).click();
    await expect
      .poll(() => listedNames(receiver.page))
      .toEqual(['Nightly backup', 'Deploy site', 'Weekly report']);

    const received = await receiver.services.handlers['jobs.list']({});
    expect(received.map(shareable)).toEqual(sent.map(shareable));

    // The same file again adds nothing: every job is already here, and the dialog says so.
    await receiver.page.getByRole('button', { name: 'Import…' }).click();
    await importDialog.getByLabel('Exported file').setInputFiles(filePath);
    await importDialog.getByText(/^Chosen: /).waitFor();
    await importDialog.getByRole('button', { name: 'Import' }).click();
    await expect
      .poll(() => importDialog.getByTestId('import-report').textContent())
      .toBe('Nothing was imported. 3 already here, skipped.');
    await importDialog.getByRole('button', { name: 'Done' }).click();
    expect(await receiver.services.handlers['jobs.list']({})).toHaveLength(3);
    expect(await cspViolations(page)).toEqual([]);
    expect(await cspViolations(receiver.page)).toEqual([]);
  });

  it('imports the sound entries of pasted JSON and names each rejected one with its reason', async () => {
    let serverId = '';
    const app = await open(async (services) => {
      serverId = (await addSimulatorServer(services, suite.simulator)).id;
      await saveJob(services, serverId, 'Existing job');
    });
    const { page } = app;
    const entry = (name: string, server: string) => ({
      name,
      server,
      target: { kind: 'scriptName', value: 'Quick Success' },
      params: [],
      favourite: false,
      showInTray: false,
      notify: 'always',
      confirmBeforeRun: false,
      tags: [],
      presets: [],
    });
    const pasted = JSON.stringify({
      format: 'aft-launcher-jobs',
      version: 1,
      servers: [],
      jobs: [
        entry('Sync files', serverId),
        entry('Orphan job', 'a-server-nobody-has'),
        entry('Clean temp', serverId),
      ],
    });

    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import jobs' });
    const text = dialog.getByRole('textbox', { name: 'Or paste the exported JSON' });

    // Something that is not an export at all is refused as a whole, with what to do.
    await text.fill('{"hello": 1}');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog
      .getByRole('alert')
      .getByText('This is not a jobs file exported by AFT! Launcher.', { exact: false })
      .waitFor();

    await text.fill(pasted);
    await dialog.getByRole('button', { name: 'Import' }).click();
    const report = dialog.getByTestId('import-report');
    await report.getByText('Imported 2 jobs.').waitFor();
    const rejected = report.getByRole('listitem');
    expect(await rejected.count()).toBe(1);
    expect(await rejected.first().textContent()).toBe(
      'Job "Orphan job": Not imported: it refers to the server "a-server-nobody-has", which is neither in this file nor saved here. Export the job together with its server.',
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await captureScreen(page, 'import-jobs');

    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect
      .poll(() => listedNames(page))
      .toEqual(['Existing job', 'Sync files', 'Clean temp']);
    expect(await cspViolations(page)).toEqual([]);
  });
});

describe('the order of saved jobs', () => {
  it('moves the selected job with Alt+arrows and the Move buttons, within its group, and keeps the order', async () => {
    const app = await open(async (services) => {
      const server = await addSimulatorServer(services, suite.simulator);
      for (const name of ['Alpha', 'Bravo', 'Charlie']) await saveJob(services, server.id, name);
      await saveJob(services, server.id, 'Zulu', { favourite: true });
    });
    const { page } = app;
    const search = page.getByRole('combobox', { name: 'Search jobs' });
    const details = page.getByTestId('job-details');
    expect(await listedNames(page)).toEqual(['Zulu', 'Alpha', 'Bravo', 'Charlie']);

    await search.focus();
    await search.press('ArrowDown');
    await details.getByRole('heading', { name: 'Alpha' }).waitFor();
    await search.press('Alt+ArrowDown');
    await search.press('Alt+ArrowDown');
    await expect.poll(() => listedNames(page)).toEqual(['Zulu', 'Bravo', 'Charlie', 'Alpha']);
    // The moved job stays selected, and a screen reader hears where it went.
    await details.getByRole('heading', { name: 'Alpha' }).waitFor();
    await page.getByText('Moved “Alpha” to position 4 of 4.').waitFor();
    expect(await details.getByRole('button', { name: 'Move down' }).isDisabled()).toBe(true);

    // Favourites stay first: Bravo cannot pass Zulu.
    await search.press('ArrowUp');
    await search.press('ArrowUp');
    await details.getByRole('heading', { name: 'Bravo' }).waitFor();
    expect(await details.getByRole('button', { name: 'Move up' }).isDisabled()).toBe(true);
    await search.press('Alt+ArrowUp');
    await details.getByRole('button', { name: 'Move down' }).click();
    await expect.poll(() => listedNames(page)).toEqual(['Zulu', 'Charlie', 'Bravo', 'Alpha']);

    // While searching the list is in match order, so moving is off and says why.
    await search.fill('a');
    await details.getByText('Clear the search to change the order.').waitFor();
    expect(await details.getByRole('button', { name: 'Move up' }).isDisabled()).toBe(true);
    await search.press('Alt+ArrowUp');

    await page.reload();
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    await expect.poll(() => listedNames(page)).toEqual(['Zulu', 'Charlie', 'Bravo', 'Alpha']);
    expect((await app.services.handlers['jobs.list']({})).map((job) => job.name)).toEqual([
      'Zulu',
      'Charlie',
      'Bravo',
      'Alpha',
    ]);
    expect(await cspViolations(page)).toEqual([]);
  });
});

describe('copying a job as a command', () => {
  it('puts the shown command, with the key as a placeholder, on the clipboard through main', async () => {
    const app = await open(async (services) => {
      const server = await addSimulatorServer(services, suite.simulator);
      await saveJob(services, server.id, 'Nightly backup');
    });
    const { page } = app;
    const search = page.getByRole('combobox', { name: 'Search jobs' });
    await search.fill('Nightly backup');
    await search.press('Enter');
    await page.getByRole('button', { name: 'curl' }).click();
    const dialog = page.getByRole('dialog', { name: 'Command' });
    const shown = await dialog.getByTestId('command-text').textContent();
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await dialog.getByText('Copied.').waitFor();
    expect(app.clipboard).toEqual([shown]);
    expect(shown).toContain('curl');
    expect(shown).not.toContain(suite.simulator.apiKey);
  });

  it('copies the real command with the key and saved secret from main, never showing either in the window', async () => {
    const app = await open(async (services) => {
      const server = await addSimulatorServer(services, suite.simulator);
      const deploy = await saveJob(services, server.id, 'Deploy site', {
        params: [
          { name: 'branch', type: 'text', required: true },
          { name: 'token', type: 'secret', required: true },
        ],
      });
      // The secret value is saved (encrypted) by a run; the form then leaves it empty.
      const started = await services.handlers['runs.start']({
        jobId: deploy.id,
        values: { branch: 'main', token: SECRET_VALUE },
      });
      if (!started.ok) throw new Error(started.message);
    });
    const { page } = app;
    const search = page.getByRole('combobox', { name: 'Search jobs' });
    await search.fill('Deploy site');
    await search.press('Enter');
    await page.getByLabel('branch (required)').fill('release');
    await page.getByRole('button', { name: 'curl' }).click();
    const dialog = page.getByRole('dialog', { name: 'Command' });
    await dialog.getByRole('button', { name: 'Copy with my API key' }).click();
    await dialog
      .getByRole('status')
      .getByText('Copied with your API key and secret values. Paste it only where it is safe.')
      .waitFor();

    expect(app.clipboard).toHaveLength(1);
    const copied = app.clipboard[0] ?? '';
    expect(copied).toContain(`curl -sk -X POST ${new URL(suite.simulator.url).origin}/v1/jobs`);
    expect(copied).toContain(`X-API-Key: ${suite.simulator.apiKey}`);
    expect(JSON.parse(/-d '(.*)'$/s.exec(copied)?.[1] ?? 'null')).toEqual({
      scriptName: 'Quick Success',
      params: { branch: 'release', token: SECRET_VALUE },
    });
    const html = await page.content();
    expect(html).not.toContain(suite.simulator.apiKey);
    expect(html).not.toContain(SECRET_VALUE);
    expect(await dialog.getByTestId('command-text').textContent()).toContain('your-api-key-here');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
