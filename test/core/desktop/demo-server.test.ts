import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemoServer } from '../../../app/core/desktop/demo-server.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aft-demo-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('demo server', () => {
  it('listens on loopback with a fresh key each start and keeps its certificate', async () => {
    const first = await startDemoServer(dataDir);
    await first.close();
    const second = await startDemoServer(dataDir);
    try {
      expect(second.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(second.apiKey).not.toBe(first.apiKey);
      expect(second.apiKey.length).toBeGreaterThanOrEqual(32);
      expect(second.fingerprint256).toBe(first.fingerprint256);
      expect(second.certPem).toContain('BEGIN CERTIFICATE');
    } finally {
      await second.close();
    }
  });
});
