import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppRequestHandler, resolveAppFile } from '../../app/main/app-protocol.ts';
import { CONTENT_SECURITY_POLICY } from '../../app/main/window.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aft-renderer-'));
const rendererDir = path.join(root, 'renderer');
fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>AFT!</title>');
fs.writeFileSync(path.join(rendererDir, 'assets', 'main.js'), 'console.log(1)');
fs.writeFileSync(path.join(root, 'secret.txt'), 'outside the renderer');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const handle = createAppRequestHandler(rendererDir);
const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

describe('app:// protocol', () => {
  it('serves the renderer with its content type, the CSP and nosniff', async () => {
    const page = await get('app://aft/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>AFT!</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await get('app://aft/assets/main.js?v=1');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    'app://aft/../secret.txt',
    'app://aft/%2e%2e/secret.txt',
    'app://aft/assets/%2E%2E%2F%2E%2E%2Fsecret.txt',
    'app://aft/..%5csecret.txt',
    'app://aft/index.html%00.js',
    'app://aft/%E0%A4%A',
    'app://other/index.html',
    'file:///etc/passwd',
    'app://aft/missing.js',
  ])('refuses %s', async (url) => {
    expect((await get(url)).status).toBe(404);
  });

  it('never resolves a path outside the renderer folder', () => {
    expect(resolveAppFile(rendererDir, 'app://aft/assets/main.js')).toBe(
      path.join(rendererDir, 'assets', 'main.js'),
    );
    for (const url of [
      'app://aft/%2e%2e/secret.txt',
      'app://aft/a/../../../secret.txt',
      'app://aft/assets/%2E%2E%2F%2E%2E%2Fsecret.txt',
      'app://aft//etc/passwd',
    ]) {
      const file = resolveAppFile(rendererDir, url);
      expect(file === undefined || file.startsWith(rendererDir + path.sep), url).toBe(true);
    }
  });

  it('answers only GET and HEAD', async () => {
    expect((await get('app://aft/index.html', 'POST')).status).toBe(405);
    const head = await get('app://aft/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
