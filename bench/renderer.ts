// The window's weight and speed with 1,000 saved jobs: the renderer bundle's gzip size, the time
// from navigation to the job list painted, and from a keystroke in search to the filtered list
// painted. Measured in Debian's Chromium over the real main-process services and the simulator.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import {
  addManyJobs,
  openApp,
  startRendererHarness,
  type AppUnderTest,
} from '../test/helpers/renderer-harness.ts';
import { startTestSimulator } from '../test/helpers/simulator.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist/renderer');
const JOBS = 1000;
const LOADS = 5;
const QUERY = 'report sales nightly';

// Records when the first job row is on screen: the frame after it entered the DOM.
const MEASURE_FIRST_PAINT = `
  new MutationObserver((_, observer) => {
    if (!document.querySelector('[data-testid="job-list"] [role="option"]')) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { window.__listPaintedAt = performance.now(); }));
  }).observe(document, { childList: true, subtree: true });
`;

// For each key typed in the search box: from the keydown event to the frame after the update.
const MEASURE_KEYSTROKES = `
  window.__keystrokeMs = [];
  document.addEventListener('keydown', (event) => {
    if (!(event.target instanceof HTMLInputElement) || event.target.type !== 'search') return;
    const start = event.timeStamp;
    requestAnimationFrame(() => setTimeout(() => window.__keystrokeMs.push(performance.now() - start)));
  }, true);
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

async function bundleSizeLine(): Promise<string> {
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'silent' });
  const byKind = new Map<string, number>();
  let total = 0;
  for (const file of await filesUnder(DIST)) {
    const gzipped = gzipSync(await readFile(file), { level: 9 }).length;
    const kind = relative(DIST, file).split('.').pop() ?? 'other';
    byKind.set(kind, (byKind.get(kind) ?? 0) + gzipped);
    total += gzipped;
  }
  const parts = [...byKind]
    .map(([kind, bytes]) => `${kind} ${(bytes / 1024).toFixed(1)}`)
    .join(', ');
  return `renderer bundle, gzip: ${(total / 1024).toFixed(1)} KiB (${parts})`;
}

export async function benchRenderer(): Promise<string[]> {
  const lines = [await bundleSizeLine()];
  const [harness, simulator] = await Promise.all([startRendererHarness(), startTestSimulator()]);
  let app: AppUnderTest | undefined;
  try {
    app = await openApp(harness, {
      initScripts: [MEASURE_FIRST_PAINT, MEASURE_KEYSTROKES],
      prepare: async (services) => {
        const server = await services.handlers['servers.add']({
          name: 'Bench AFT!',
          baseUrl: simulator.url,
          apiKey: simulator.apiKey,
          confirmedFingerprint256: simulator.fingerprint256,
        });
        await addManyJobs(services, server.id, JOBS);
      },
    });
    const { page } = app;
    const readPaint = () =>
      page
        .waitForFunction(() => (window as unknown as { __listPaintedAt?: number }).__listPaintedAt)
        .then((handle) => handle.jsonValue() as Promise<number>);

    const firstPaints: number[] = [await readPaint()];
    while (firstPaints.length < LOADS) {
      await page.reload();
      firstPaints.push(await readPaint());
    }
    lines.push(
      `renderer first render, ${JOBS} jobs: median ${median(firstPaints).toFixed(0)} ms from navigation to the list painted (${LOADS} loads, min ${Math.min(...firstPaints).toFixed(0)}, max ${Math.max(...firstPaints).toFixed(0)})`,
    );

    const search = page.getByRole('combobox', { name: 'Search jobs' });
    await search.click();
    await page.keyboard.type(QUERY, { delay: 60 });
    await page.waitForFunction(
      (count) => (window as unknown as { __keystrokeMs: number[] }).__keystrokeMs.length >= count,
      QUERY.length,
    );
    const keystrokes = await page.evaluate(
      () => (window as unknown as { __keystrokeMs: number[] }).__keystrokeMs,
    );
    const sorted = [...keystrokes].sort((a, b) => a - b);
    lines.push(
      `renderer keystroke in search -> filtered list painted, ${JOBS} jobs: median ${median(keystrokes).toFixed(1)} ms, max ${(sorted[sorted.length - 1] ?? 0).toFixed(1)} ms (${keystrokes.length} keystrokes)`,
    );
  } finally {
    await app?.close();
    await harness.close();
    await simulator.cleanup();
  }
  return lines;
}
