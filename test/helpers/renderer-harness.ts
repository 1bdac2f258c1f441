// Drives the built renderer (dist/renderer) in Debian's Chromium, with `window.aft` built by the
// preload's own factory and answered by the real main-process services running in this process:
// requests cross through page.exposeBinding, events are delivered into the page's subscribers.
// One browser per test file (startRendererHarness), one fresh context per test (openApp).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { build as esbuild } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createAftClient } from '../../app/core/aft/client.ts';
import { startDemoServer, type DemoServer } from '../../app/core/desktop/demo-server.ts';
import {
  createTrustedSenderCheck,
  registerIpcHandlers,
  type IpcSenderEvent,
} from '../../app/core/ipc/validated-ipc.ts';
import { createMainServices, type MainServices } from '../../app/core/main-services.ts';
import { createFileDocumentBackend } from '../../app/core/store/file-document-backend.ts';
import { HISTORY_DOCUMENT_VERSION } from '../../app/core/store/run-history.ts';
import type { WindowEventSink } from '../../app/core/ports.ts';
import { eventChannel } from '../../app/shared/ipc-contract.ts';
import type { Run, SavedJob, ServerSummary } from '../../app/shared/model.ts';
import { createFakeSecretCipher } from '../fakes/secret-cipher.ts';
import { plainJobOptions } from '../core/main-services-harness.ts';
import { startTestSimulator, type TestSimulator } from './simulator.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist/renderer');
/**
 * The committed pictures (docs/screenshots, shown by the README) change only on request
 * (UPDATE_SCREENSHOTS=1); ordinary runs write to test-results/, which git ignores.
 */
const SCREENSHOTS = join(
  ROOT,
  process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots',
);
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
export const VIEWPORT = { width: 1100, height: 720 };

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** `npm test` builds the renderer first; a lone `vitest run` builds it when it is missing. */
export async function ensureRendererBuilt(): Promise<void> {
  if (existsSync(join(DIST, 'index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

/** Serves dist/renderer on 127.0.0.1 (a random port), as Electron would load it from disk. */
export async function serveRenderer(): Promise<{ url: string; close(): Promise<void> }> {
  await ensureRendererBuilt();
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(DIST, pathname === '/' ? 'index.html' : pathname));
    if (!file.startsWith(DIST + sep)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        response.writeHead(200, {
          'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

let bridgeScript: string | undefined;

/**
 * The page's `window.aft`: the preload's own createAftBridge, bundled for the page, with a
 * transport that calls the `__aftInvoke` binding and collects subscribers that the harness
 * feeds through `__aftDeliver(channel, payloadJson)`. Both directions carry JSON text.
 */
export async function bridgeInitScript(): Promise<string> {
  if (bridgeScript !== undefined) return bridgeScript;
  const entry = `
    import { createAftBridge } from './app/preload/bridge-factory.ts';
    const listeners = new Map();
    window.__aftDeliver = (channel, payloadJson) => {
      const payload = JSON.parse(payloadJson);
      for (const listener of [...(listeners.get(channel) ?? [])]) listener(payload);
    };
    window.aft = createAftBridge({
      // JSON text across the binding: Playwright's own serialisation of a large object (1,000
      // jobs) is far slower than Electron's structured clone, and would distort the timings.
      invoke: async (channel, input) =>
        JSON.parse(await window.__aftInvoke(channel, JSON.stringify(input === undefined ? null : input))),
      subscribe(channel, listener) {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel).add(listener);
        return () => listeners.get(channel).delete(listener);
      },
    });
  `;
  const result = await esbuild({
    stdin: { contents: entry, resolveDir: ROOT, sourcefile: 'harness-preload.js', loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome130',
    write: false,
    minify: true,
    logLevel: 'silent',
  });
  bridgeScript = result.outputFiles[0]?.text ?? '';
  return bridgeScript;
}

let axeSource: string | undefined;

/**
 * Runs axe-core in the page and returns the serious and critical violations, one line each
 * (rule, impact, first offending elements). axe is evaluated through the DevTools protocol:
 * the page's CSP (script-src 'self') rightly refuses an injected <script>.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  axeSource ??= await readFile(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
  const alreadyLoaded = await page.evaluate(() => 'axe' in window);
  if (!alreadyLoaded) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }
    ).axe;
    interface AxeResults {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: unknown[] }[];
      }[];
    }
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 3).map((node) => JSON.stringify(node.target)),
    }));
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.targets.join(', ')}`,
    );
}

/** Saves <SCREENSHOTS>/<name>.png, in the light theme at the window's default size. */
export async function captureScreen(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  // No blinking caret or running animation in the committed pictures.
  await page.screenshot({
    path: join(SCREENSHOTS, `${name}.png`),
    caret: 'hide',
    animations: 'disabled',
  });
}

/** Content-Security-Policy violations the page reported (there must be none). */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(
    () => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [],
  );
}

const RECORD_CSP_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
  });
`;

/** One browser and one static server per test file. */
export interface RendererHarness {
  browser: Browser;
  url: string;
  close(): Promise<void>;
}

export async function startRendererHarness(): Promise<RendererHarness> {
  const [served, browser] = await Promise.all([serveRenderer(), launchChromium()]);
  return {
    browser,
    url: served.url,
    async close() {
      await browser.close();
      await served.close();
    },
  };
}

export interface AppUnderTest {
  page: Page;
  context: BrowserContext;
  /** The real main-process services behind the page's window.aft. */
  services: MainServices;
  /** URLs the app asked to open in the browser (servers.openWebUi). */
  openedUrls: string[];
  /** What main put on the clipboard, oldest first (app.copyText, copy-as-command with the key). */
  clipboard: string[];
  /** Sends an event to the window as main would (e.g. `navigate` after a notification click). */
  emit: WindowEventSink;
  close(): Promise<void>;
}

export interface OpenAppOptions {
  /** Runs against the services before the page loads, e.g. to add 1,000 jobs. */
  prepare?: (services: MainServices) => Promise<void>;
  /** The safeStorage backend the fake cipher reports (basic_text makes the settings warn). */
  secretBackend?: string;
  colorScheme?: 'light' | 'dark';
  /** Past runs already in the history file when the app starts (ended runs only). */
  history?: Run[];
  /** Starts from a settings file that is not JSON, as after a crash mid-write. */
  corruptSettings?: boolean;
  /** Run in the page before the app, e.g. to take measurements. */
  initScripts?: string[];
}

/**
 * A fresh app: main-process services over files in a new temp folder, registered through the
 * same validated IPC layer as in Electron (sender and input checks included), and a new browser
 * context whose page loads the built renderer with the preload's bridge.
 */
export async function openApp(
  harness: RendererHarness,
  options: OpenAppOptions = {},
): Promise<AppUnderTest> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aft-renderer-test-'));
  if (options.corruptSettings)
    await writeFile(join(dataDir, 'settings.json'), '{"schemaVersion": 2, "serv');
  if (options.history) {
    await writeFile(
      join(dataDir, 'history.json'),
      JSON.stringify({ schemaVersion: HISTORY_DOCUMENT_VERSION, runs: options.history }),
    );
  }
  const demoServers: DemoServer[] = [];
  const openedUrls: string[] = [];
  const clipboard: string[] = [];
  const client = createAftClient({
    connectTimeoutMs: 3000,
    responseTimeoutMs: 5000,
    launchRetryDelaysMs: [20, 40],
  });
  let page: Page | undefined;
  // Events go out in order over the one DevTools connection; a closing page drops them.
  const emit: WindowEventSink = (name, payload) => {
    page
      ?.evaluate(
        ([channel, value]) => (window as unknown as HarnessWindow).__aftDeliver(channel, value),
        [eventChannel(name), JSON.stringify(payload)] as const,
      )
      .catch(() => undefined);
  };

  const services = await createMainServices({
    settingsBackend: createFileDocumentBackend(join(dataDir, 'settings.json'), { pretty: true }),
    historyBackend: createFileDocumentBackend(join(dataDir, 'history.json')),
    cipher: createFakeSecretCipher({ backend: options.secretBackend }),
    client,
    startDemoServer: async () => {
      const demo = await startDemoServer(join(dataDir, 'demo'));
      demoServers.push(demo);
      return {
        baseUrl: demo.url,
        apiKey: demo.apiKey,
        certPem: demo.certPem,
        fingerprint256: demo.fingerprint256,
      };
    },
    openExternal: (url) => {
      openedUrls.push(url);
    },
    writeClipboard: (text) => {
      clipboard.push(text);
    },
    emit,
    app: { version: 'test', platform: 'linux' },
    log: () => undefined,
  });
  await options.prepare?.(services);

  const channels = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => unknown>();
  const origin = new URL(harness.url).origin;
  const WINDOW_ID = 1;
  registerIpcHandlers(
    {
      handle: (channel, listener) => channels.set(channel, listener),
      removeHandler: (channel) => channels.delete(channel),
    },
    services.handlers,
    createTrustedSenderCheck({
      trustedWebContentsIds: () => new Set([WINDOW_ID]),
      appOrigin: origin,
    }),
  );

  const context = await harness.browser.newContext({
    viewport: VIEWPORT,
    colorScheme: options.colorScheme ?? 'light',
  });
  page = await context.newPage();
  const mainFrame = page.mainFrame();
  await page.exposeBinding('__aftInvoke', async (source, channel: string, inputJson: string) => {
    const listener = channels.get(channel);
    if (!listener) throw new Error(`No handler for ${channel}`);
    const frame = { url: source.frame.url() };
    const event: IpcSenderEvent = {
      sender: { id: WINDOW_ID, mainFrame: source.frame === mainFrame ? frame : {} },
      senderFrame: frame,
    };
    return JSON.stringify(await listener(event, JSON.parse(inputJson)));
  });
  await page.addInitScript(RECORD_CSP_VIOLATIONS);
  await page.addInitScript(await bridgeInitScript());
  for (const script of options.initScripts ?? []) await page.addInitScript(script);
  await page.goto(harness.url);
  services.resume();

  return {
    page,
    context,
    services,
    openedUrls,
    clipboard,
    emit,
    async close() {
      const closing = page;
      page = undefined;
      await closing?.context().close();
      services.flush();
      services.dispose();
      client.close();
      await Promise.all(demoServers.map((demo) => demo.close()));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** What a renderer test file shares: one browser and one simulator, and the apps its tests open. */
export interface RendererSuite {
  readonly harness: RendererHarness;
  readonly simulator: TestSimulator;
  /** A fresh app (see openApp), closed after the test. */
  open(options?: OpenAppOptions): Promise<AppUnderTest>;
}

/**
 * Call once at the top of a renderer test file: starts the browser and the simulator before the
 * tests, closes each test's apps (and clears injected faults) after it, and stops both at the end.
 */
export function setUpRendererSuite(): RendererSuite {
  let harness: RendererHarness | undefined;
  let simulator: TestSimulator | undefined;
  const apps: AppUnderTest[] = [];
  beforeAll(async () => {
    [harness, simulator] = await Promise.all([startRendererHarness(), startTestSimulator()]);
  });
  afterEach(async () => {
    simulator?.clearFaults();
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await harness?.close();
    await simulator?.cleanup();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The renderer suite starts in beforeAll.');
    return value;
  };
  return {
    get harness() {
      return started(harness);
    },
    get simulator() {
      return started(simulator);
    },
    async open(options) {
      const app = await openApp(started(harness), options);
      apps.push(app);
      return app;
    },
  };
}

/** Adds `target` as the server "Office AFT!", its certificate confirmed, with its key or another. */
export function addSimulatorServer(
  services: MainServices,
  target: TestSimulator,
  apiKey = target.apiKey,
): Promise<ServerSummary> {
  return services.handlers['servers.add']({
    name: 'Office AFT!',
    baseUrl: target.url,
    apiKey,
    confirmedFingerprint256: target.fingerprint256,
  });
}

/** Saves a job that runs the simulator's "Quick Success" with no parameters, unless told otherwise. */
export function saveJob(
  services: MainServices,
  serverId: string,
  name: string,
  overrides: Partial<Parameters<MainServices['handlers']['jobs.save']>[0]> = {},
): Promise<SavedJob> {
  return services.handlers['jobs.save']({
    name,
    serverId,
    target: { kind: 'scriptName', value: 'Quick Success' },
    params: [],
    ...plainJobOptions(),
    ...overrides,
  });
}

const JOB_KINDS = ['Backup', 'Sync', 'Report', 'Cleanup', 'Archive'];
const TEAMS = ['finance', 'ops', 'sales', 'web', 'db', 'hr', 'legal'];

/** The name of the n-th job made by addManyJobs: "Report sales #42". */
export function manyJobName(index: number): string {
  return `${JOB_KINDS[index % JOB_KINDS.length]} ${TEAMS[index % TEAMS.length]} #${index}`;
}

/**
 * Adds `count` saved jobs on a server through the real jobs.import request (one write, as a
 * person importing a colleague's export would): every 25th a favourite, tagged by team.
 */
export async function addManyJobs(
  services: MainServices,
  serverId: string,
  count: number,
): Promise<void> {
  const template = await saveJob(services, serverId, 'template', {
    params: [{ name: 'dest', type: 'text', required: false }],
  });
  const exported = JSON.parse(
    (await services.handlers['jobs.export']({ ids: [template.id] })).json,
  ) as {
    jobs: Record<string, unknown>[];
  };
  const [entry] = exported.jobs;
  exported.jobs = Array.from({ length: count }, (_, index) => ({
    ...entry,
    name: manyJobName(index),
    favourite: index % 25 === 0,
    tags: [TEAMS[index % TEAMS.length], index % 2 === 0 ? 'nightly' : 'weekly'],
    target: { kind: 'scriptName', value: index % 3 === 0 ? 'Quick Failure' : 'Quick Success' },
  }));
  const report = await services.handlers['jobs.import']({ json: JSON.stringify(exported) });
  if (report.errors.length > 0)
    throw new Error(`Import refused: ${JSON.stringify(report.errors[0])}`);
  await services.handlers['jobs.delete']({ id: template.id });
}

/** `count` ended runs, oldest first as the history file keeps them, one a minute, alternating success and failure. */
export function pastRuns(count: number, server: { id: string; name: string }): Run[] {
  const start = Date.parse('2026-01-01T00:00:00Z');
  return Array.from({ length: count }, (_, index) => {
    const requestedAt = new Date(start + index * 60_000).toISOString();
    const endedAt = new Date(start + index * 60_000 + 5_000).toISOString();
    const failed = index % 2 === 1;
    return {
      id: `past-run-${index}`,
      jobName: manyJobName(index % 50),
      serverId: server.id,
      serverName: server.name,
      target: { kind: 'scriptName', value: failed ? 'Quick Failure' : 'Quick Success' },
      values: {},
      aftJobId: `PastJob${String(index).padStart(15, '0')}`,
      state: failed ? 'failed' : 'succeeded',
      requestedAt,
      updatedAt: endedAt,
      endedAt,
      exitCode: failed ? 3 : 0,
      timeline: [
        { state: 'launching', at: requestedAt },
        { state: failed ? 'failed' : 'succeeded', at: endedAt },
      ],
    } satisfies Run;
  });
}

interface HarnessWindow {
  __aftDeliver(channel: string, payloadJson: string): void;
}

export type { Browser, BrowserContext, Page };
