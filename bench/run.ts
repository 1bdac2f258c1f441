// `npm run bench`: runs each benchmark section in turn and prints its lines.
import { benchFoundation } from './foundation.ts';
import { benchRenderer } from './renderer.ts';

type Section = () => Promise<string[]>;

async function runSection(name: string, section: Section): Promise<void> {
  const start = performance.now();
  const lines = await section();
  console.log(`${name} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
  for (const line of lines) console.log(`  ${line}`.trimEnd());
}

await runSection('foundation', benchFoundation);
await runSection('renderer', benchRenderer);
