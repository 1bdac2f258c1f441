// `npm run bench`: runs each benchmark section in turn and prints its lines.
import { existsSync } from 'node:fs';
import { benchFoundation } from './foundation.ts';

type Section = () => Promise<string[]>;

async function runSection(name: string, section: Section): Promise<void> {
  const start = performance.now();
  const lines = await section();
  console.log(`${name} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
  for (const line of lines) console.log(`  ${line}`.trimEnd());
}

await runSection('foundation', benchFoundation);

// bench/renderer.ts is written separately; until it lands, say so rather than fail.
const rendererBench = new URL('./renderer.ts', import.meta.url);
if (existsSync(rendererBench)) {
  const { benchRenderer } = (await import(rendererBench.href)) as { benchRenderer: Section };
  await runSection('renderer', benchRenderer);
} else {
  console.log('renderer: skipped (bench/renderer.ts not present)');
}
