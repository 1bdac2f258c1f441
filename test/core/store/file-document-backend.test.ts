import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileDocumentBackend } from '../../../app/core/store/file-document-backend.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aft-file-backend-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('file document backend', () => {
  it('writes the document and a last good copy, and reads both back', () => {
    const backend = createFileDocumentBackend(path.join(dir, 'settings.json'), { pretty: true });
    expect(backend.read()).toBeUndefined();
    backend.write({ schemaVersion: 2, servers: [] });
    expect(backend.read()).toEqual({ schemaVersion: 2, servers: [] });
    expect(backend.readLastGood()).toEqual({ schemaVersion: 2, servers: [] });
    expect(fs.readdirSync(dir).sort()).toEqual(['settings.json', 'settings.json.last-good']);
  });

  it('removes temporary files abandoned by a write that died, and keeps everything else', () => {
    const file = path.join(dir, 'settings.json');
    fs.writeFileSync(file, '{"schemaVersion":2}');
    fs.writeFileSync(`${file}.tmp-4242-7`, '{"schemaVers');
    fs.writeFileSync(path.join(dir, 'history.json.tmp-4242-8'), '{"runs":[');
    fs.writeFileSync(`${file}.corrupt-2026-12-03`, 'kept for the person');

    const backend = createFileDocumentBackend(file);

    expect(fs.readdirSync(dir).sort()).toEqual([
      'history.json.tmp-4242-8',
      'settings.json',
      'settings.json.corrupt-2026-12-03',
    ]);
    expect(backend.read()).toEqual({ schemaVersion: 2 });
  });

  it('also removes an abandoned temporary of the last good copy (a whole history each time)', () => {
    const file = path.join(dir, 'history.json');
    fs.writeFileSync(`${file}.last-good.tmp-4242-9`, '{"runs":[');

    createFileDocumentBackend(file);

    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('moves a damaged file aside under a new name', () => {
    const file = path.join(dir, 'history.json');
    fs.writeFileSync(file, 'not json');
    const backend = createFileDocumentBackend(file);
    expect(() => backend.read()).toThrow();
    const moved = backend.moveAside('corrupt-1');
    expect(moved).toBe(`${file}.corrupt-1`);
    expect(fs.readFileSync(moved!, 'utf8')).toBe('not json');
    expect(fs.existsSync(file)).toBe(false);
  });
});
