// First run in real Chromium against the suite.simulator over HTTPS: pinning the certificate, the
// built-in demo server, a wrong key, and a server that is down.
import { describe, expect, it } from 'vitest';
import {
  captureScreen,
  cspViolations,
  seriousAccessibilityViolations,
  setUpRendererSuite,
  type AppUnderTest,
} from '../helpers/renderer-harness.ts';
import { startTestSimulator } from '../helpers/simulator.ts';

const suite = setUpRendererSuite();

async function fillServerForm(page: AppUnderTest['page'], url: string, key: string) {
  await page.getByLabel('Name', { exact: true }).fill('Office AFT!');
  await page.getByLabel('Server URL').fill(url);
  await page.getByLabel('API key').fill(key);
}

describe('first run', () => {
  it('adds a server after the person confirms the probed certificate, then tests the key', async () => {
    const app = await suite.open({ secretBackend: 'basic_text' });
    const { page } = app;
    await expect
      .poll(() => page.getByRole('heading', { name: 'Welcome to AFT! Launcher' }).isVisible())
      .toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await captureScreen(page, 'first-run');

    await fillServerForm(page, suite.simulator.url, suite.simulator.apiKey);
    await page.getByRole('button', { name: 'Check the certificate' }).click();
    const fingerprint = page.getByTestId('fingerprint');
    await fingerprint.waitFor();
    // The fingerprint shown is the one the suite.simulator's certificate really has.
    expect(await fingerprint.textContent()).toBe(suite.simulator.fingerprint256);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await captureScreen(page, 'first-run-certificate');

    await page.getByRole('button', { name: 'Trust this certificate and add server' }).click();
    const result = page.getByTestId('connection-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('Connected.');
    expect(app.services.servers.list()).toMatchObject([
      {
        name: 'Office AFT!',
        pinnedCertificate: { fingerprint256: suite.simulator.fingerprint256 },
        hasApiKey: true,
      },
    ]);

    await page.getByRole('button', { name: 'Continue to jobs' }).click();
    await page.getByText('No saved jobs yet.').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await captureScreen(page, 'jobs-empty');
    expect(await cspViolations(page)).toEqual([]);
  });

  it(
    'starts the built-in demo server and lands on a working connection',
    { timeout: 45_000 },
    async () => {
      const app = await suite.open();
      const { page } = app;
      await page.getByRole('button', { name: 'Try the built-in demo server' }).click();
      const result = page.getByTestId('connection-result');
      // The demo server makes its own certificate on first start: a slow RSA key generation.
      await result.waitFor({ timeout: 30_000 });
      expect(await result.textContent()).toContain('Connected.');
      expect(app.services.servers.list()[0]).toMatchObject({ isDemo: true, hasApiKey: true });
    },
  );

  it('says the key is not verified when the server refuses it, and takes a new key', async () => {
    const app = await suite.open();
    const { page } = app;
    await fillServerForm(page, suite.simulator.url, 'not-the-right-key');
    await page.getByRole('button', { name: 'Check the certificate' }).click();
    await page.getByRole('button', { name: 'Trust this certificate and add server' }).click();
    const result = page.getByTestId('connection-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('the API key is not verified');
    expect(await result.textContent()).toContain('allow-list');
    await captureScreen(page, 'first-run-wrong-key');

    await page.getByLabel('A different API key').fill(suite.simulator.apiKey);
    await page.getByRole('button', { name: 'Save key and test again' }).click();
    await expect.poll(() => result.textContent()).toContain('Connected.');
  });

  it('explains what to do when the server is down', async () => {
    const down = await startTestSimulator();
    const url = down.url;
    const app = await suite.open();
    const { page } = app;
    await fillServerForm(page, url, down.apiKey);
    await down.cleanup();
    await page.getByRole('button', { name: 'Check the certificate' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/could not|cannot|refused/i);
    expect(app.services.servers.list()).toEqual([]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await captureScreen(page, 'first-run-server-down');
  });
});
