// The window at scale (1,000 saved jobs, 5,000 past runs) and from the keyboard, main's
// navigate events, settings, themes and the start-up notice, in real Chromium.
import { describe, expect, it } from 'vitest';
import {
  addManyJobs,
  addSimulatorServer,
  captureScreen,
  manyJobName,
  pastRuns,
  seriousAccessibilityViolations,
  setUpRendererSuite,
} from '../helpers/renderer-harness.ts';

const suite = setUpRendererSuite();

describe('the window at scale and from the keyboard', () => {
  it('lists 1,000 jobs and 5,000 runs through windowed lists, with fuzzy search and arrow keys', async () => {
    const app = await suite.open({
      history: pastRuns(5000, { id: 'retired-server', name: 'Retired server' }),
      prepare: async (services) => {
        const server = await addSimulatorServer(services, suite.simulator);
        await addManyJobs(services, server.id, 1000);
      },
    });
    const { page } = app;
    const list = page.getByTestId('job-list');
    const options = list.getByRole('option');
    await options.first().waitFor();
    // Only the rows in view are in the DOM; the list still announces all 1,000.
    expect(await options.count()).toBeLessThan(60);
    expect(await options.first().getAttribute('aria-setsize')).toBe('1000');
    // Favourites (every 25th job) come first.
    expect(await options.first().textContent()).toContain(manyJobName(0));
    expect(await options.nth(1).textContent()).toContain(manyJobName(25));
    await captureScreen(page, 'jobs');

    const search = page.getByRole('combobox', { name: 'Search jobs' });
    await search.fill('rep sal');
    // Best matches first: the name matches at word starts, ahead of looser matches elsewhere.
    await expect.poll(() => options.first().textContent()).toMatch(/^Report sales #/);
    const top = await options.allTextContents();
    expect(top.slice(0, 5).every((text) => text.startsWith('Report sales #'))).toBe(true);

    await search.press('ArrowDown');
    await search.press('ArrowDown');
    const activeId = await search.getAttribute('aria-activedescendant');
    const chosen = page.locator(`[id="${activeId}"]`);
    expect(await chosen.getAttribute('aria-selected')).toBe('true');
    expect(await chosen.getAttribute('aria-posinset')).toBe('3');
    const chosenName = (await chosen.locator('.title').textContent())?.trim() ?? '';
    await search.press('Enter');
    await page.getByRole('heading', { name: `Run “${chosenName}”` }).waitFor();

    await page.getByRole('navigation').getByRole('button', { name: 'Jobs' }).click();
    await search.fill('zzqx');
    await page.getByText('No job matches “zzqx”.').waitFor();
    await search.press('Escape');
    await expect.poll(() => options.count()).toBeGreaterThan(5);
    // The tag filter narrows the list to one team.
    await page
      .getByRole('group', { name: 'Filter by tag' })
      .getByRole('button', { name: 'legal' })
      .click();
    for (const text of await options.allTextContents()) expect(text).toContain('legal');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('navigation').getByRole('button', { name: 'History' }).click();
    await expect.poll(() => page.getByTestId('history-count').textContent()).toBe('5000 runs');
    const runList = page.getByTestId('run-list');
    const runOptions = runList.getByRole('option');
    expect(await runOptions.count()).toBeLessThan(60);
    // Scrolling to the end reads the later pages as they come into view.
    await expect
      .poll(
        async () => {
          await runList.evaluate((element) => {
            element.scrollTop = element.scrollHeight;
          });
          return runOptions.last().getAttribute('aria-posinset');
        },
        { timeout: 15_000, interval: 100 },
      )
      .toBe('5000');
    await runList.focus();
    // Newest first: End goes to the oldest run, Home back to the newest.
    await page.keyboard.press('Home');
    expect(await runList.getAttribute('aria-activedescendant')).toBe('run-option-past-run-4999');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Run of/ }).waitFor();
    expect(await page.getByTestId('run-job-id').textContent()).toBe('PastJob000000000000000');
  });

  it('follows navigate events from main: a run, and a run form filled from a link', async () => {
    let jobId = '';
    const app = await suite.open({
      history: pastRuns(3, { id: 'retired-server', name: 'Retired server' }),
      prepare: async (services) => {
        const server = await addSimulatorServer(services, suite.simulator);
        const job = await services.handlers['jobs.save']({
          name: 'Publish site',
          serverId: server.id,
          target: { kind: 'scriptName', value: 'Quick Success' },
          params: [{ name: 'branch', label: 'Branch', type: 'text', required: true }],
          favourite: true,
          showInTray: true,
          notify: 'failures',
          confirmBeforeRun: false,
          tags: ['web'],
          presets: [],
        });
        jobId = job.id;
      },
    });
    const { page } = app;
    await page.getByRole('option', { name: /Publish site/ }).waitFor();
    app.emit('navigate', {
      screen: 'run-form',
      jobId,
      values: { branch: 'release/2.1', unknown: 'ignored' },
    });
    await page.getByRole('heading', { name: 'Run “Publish site”' }).waitFor();
    expect(await page.getByLabel('Branch (required)').inputValue()).toBe('release/2.1');
    expect(await page.getByText('Values were filled in from a link').isVisible()).toBe(true);
    expect(suite.simulator.stats().launchesReceived).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await captureScreen(page, 'run-form-from-link');

    app.emit('navigate', { screen: 'run', runId: 'past-run-1' });
    await page.getByRole('heading', { name: /^Run of/ }).waitFor();
    expect(await page.getByTestId('run-state').textContent()).toBe('Failed');
  });
});

describe('settings', () => {
  it('shows the secret storage warning and the recovery notice, and applies theme and options', async () => {
    const app = await suite.open({
      secretBackend: 'basic_text',
      corruptSettings: true,
      prepare: async (services) => {
        await addSimulatorServer(services, suite.simulator);
      },
    });
    const { page } = app;
    const notice = page
      .getByRole('status')
      .filter({ hasText: /settings/i })
      .first();
    await notice.waitFor();
    expect(app.services.notices.length).toBeGreaterThan(0);
    expect(await notice.textContent()).toContain(app.services.notices[0]?.message ?? '(none)');

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const warning = page.getByTestId('secret-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/basic_text|plain|not encrypted|protect/i);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Dismiss this notice' }).first().click();
    await notice.waitFor({ state: 'detached' });
    await captureScreen(page, 'settings');

    await page.getByLabel('Start at login').check();
    await expect
      .poll(async () => (await app!.services.handlers['settings.get']({})).startAtLogin)
      .toBe(true);

    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.getByLabel('Theme').selectOption('dark');
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset.theme))
      .toBe('dark');
    expect(await background()).not.toBe(light);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect((await app.services.handlers['settings.get']({})).theme).toBe('dark');
  });

  it('follows the system dark theme when the theme is "system"', async () => {
    const app = await suite.open({
      colorScheme: 'dark',
      prepare: async (services) => void (await addSimulatorServer(services, suite.simulator)),
    });
    const { page } = app;
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(20, 24, 30)',
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });
});
