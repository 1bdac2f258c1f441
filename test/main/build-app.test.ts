// The bundles Electron loads: main.js carries its dependencies (a packaged app ships only
// dist/), and the sandboxed preload needs nothing but `electron`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aft-build-'));
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));
beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-app.mjs', '--no-renderer', `--out=${outDir}`], {
    cwd: root,
    stdio: 'pipe',
  });
}, 60_000);

const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

describe('build-app', () => {
  it('bundles main as ESM that imports only electron and Node built-ins', () => {
    const main = fs.readFileSync(path.join(outDir, 'main.js'), 'utf8');
    const imported = [...main.matchAll(/^import\s[^'"]*?from\s*["']([^"']+)["']/gm)].map(
      (m) => m[1],
    );
    expect(imported).toContain('electron');
    expect(imported.filter((name) => name !== 'electron' && !builtins.has(name!))).toEqual([]);
    // ajv keeps `require("ajv/...")` in strings for code generation; only real calls count.
    const required = [...main.matchAll(/(?<![`'"])\brequire\(["']([^"']+)["']\)/g)].map(
      (m) => m[1],
    );
    expect(required.filter((name) => !builtins.has(name!))).toEqual([]);
  });

  it('bundles the preload as CommonJS that requires nothing but electron', () => {
    const preload = fs.readFileSync(path.join(outDir, 'preload.cjs'), 'utf8');
    const required = new Set(
      [...preload.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]),
    );
    expect([...required]).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld');
    expect(preload).not.toMatch(/\bimport\s*[{*]/);
  });

  it('puts the tray icons for every platform next to main', () => {
    const icons = fs.readdirSync(path.join(outDir, 'icons'));
    for (const state of ['idle', 'running', 'failure']) {
      expect(icons).toEqual(
        expect.arrayContaining([`tray-${state}.png`, `tray-${state}@2x.png`, `tray-${state}.ico`]),
      );
    }
    expect(icons).toEqual(
      expect.arrayContaining([
        'trayTemplate.png',
        'trayTemplate@2x.png',
        'trayRunningTemplate.png',
        'trayFailureTemplate.png',
        'icon.png',
      ]),
    );
  });
});
