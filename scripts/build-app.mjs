// Builds what Electron loads: the main process (dist/app/main.js, ESM, everything bundled but
// electron, so a packaged app needs nothing but dist/), the sandboxed preload
// (dist/app/preload.cjs: a sandboxed preload must be one CommonJS file), the tray and app
// icons next to them, and the renderer (vite -> dist/renderer).
//   node scripts/build-app.mjs [--no-renderer] [--out=<dir>]   (default out: dist/app)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArgument = process.argv.find((arg) => arg.startsWith('--out='));
const outDir = outArgument ? outArgument.slice('--out='.length) : join(root, 'dist', 'app');
const withRenderer = !process.argv.includes('--no-renderer');

rmSync(outDir, { recursive: true, force: true });

await build({
  entryPoints: [join(root, 'app/main/main.ts')],
  outfile: join(outDir, 'main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Electron 45 runs Node 22.
  target: 'node22',
  external: ['electron'],
  sourcemap: 'linked',
  // Bundled CommonJS dependencies (node-forge) call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __aftCreateRequire } from 'node:module'; const require = __aftCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

await build({
  entryPoints: [join(root, 'app/preload/preload.ts')],
  outfile: join(outDir, 'preload.cjs'),
  bundle: true,
  // A sandboxed preload has no Node: only `electron` (contextBridge, ipcRenderer) is required.
  platform: 'browser',
  format: 'cjs',
  target: 'chrome130',
  external: ['electron'],
  minify: true,
  logLevel: 'warning',
});

const iconsDir = join(outDir, 'icons');
mkdirSync(iconsDir, { recursive: true });
for (const file of readdirSync(join(root, 'build'))) {
  if (/^(tray.*|icon)\.(png|ico)$/.test(file) || /^tray.*@2x\.png$/.test(file)) {
    copyFileSync(join(root, 'build', file), join(iconsDir, file));
  }
}

if (withRenderer) {
  const vite = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (vite.status !== 0) process.exit(vite.status ?? 1);
}
console.log(
  `Built ${outDir} (main.js, preload.cjs, icons)${withRenderer ? ' and dist/renderer' : ''}.`,
);
