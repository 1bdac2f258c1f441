// The electron-store backend, against `conf` (the library electron-store extends, with the same
// file handling) since electron-store itself imports Electron.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStoreBackend } from '../../app/main/store-backend.ts';
import { ConfStore } from '../fakes/conf-store.ts';

let directory: string;
afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));
const open = () => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'aft-store-'));
  return createStoreBackend(ConfStore, { name: 'settings', directory });
};

describe('electron-store document backend', () => {
  it('reads nothing before the first write, then the whole document', () => {
    const backend = open();
    expect(backend.path).toBe(path.join(directory, 'settings.json'));
    expect(backend.read()).toBeUndefined();
    backend.write({ schemaVersion: 2, servers: [{ id: 's' }] });
    expect(backend.read()).toEqual({ schemaVersion: 2, servers: [{ id: 's' }] });
    expect(JSON.parse(fs.readFileSync(backend.path, 'utf8'))).toEqual({
      schemaVersion: 2,
      servers: [{ id: 's' }],
    });
  });

  it('throws on a corrupt file instead of replacing it, and leaves the file as it was', () => {
    const backend = open();
    fs.writeFileSync(backend.path, '{"schemaVersion": 2, "servers": [');
    expect(() => backend.read()).toThrow();
    expect(fs.readFileSync(backend.path, 'utf8')).toBe('{"schemaVersion": 2, "servers": [');
  });

  it('refuses a document that is not an object', () => {
    expect(() => open().write([1, 2])).toThrow(/JSON object/);
  });
});

describe('recovery support', () => {
  it('keeps a last-good copy of every write', () => {
    const backend = open();
    backend.write({ schemaVersion: 2, jobs: ['a'] });
    fs.writeFileSync(backend.path, 'garbage');
    expect(backend.readLastGood()).toEqual({ schemaVersion: 2, jobs: ['a'] });
  });

  it('moves a damaged file aside, keeping its bytes, and starts over', () => {
    const backend = open();
    expect(backend.moveAside('corrupt-1')).toBeUndefined();
    fs.writeFileSync(backend.path, '{broken');
    const aside = backend.moveAside('corrupt-1');
    expect(aside).toBe(`${backend.path}.corrupt-1`);
    expect(fs.readFileSync(aside!, 'utf8')).toBe('{broken');
    expect(backend.read()).toBeUndefined();
    backend.write({ schemaVersion: 2 });
    expect(backend.read()).toEqual({ schemaVersion: 2 });
  });
});
