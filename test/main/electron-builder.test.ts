// The packaging configuration, checked against electron-builder's own schema and for the
// settings that matter for security and for links.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
// electron-builder's own YAML reader (no type declarations are installed for it).
const yaml = require('js-yaml') as { load(text: string): unknown };
const config = yaml.load(
  fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'),
) as Record<string, unknown>;

describe('electron-builder.yml', () => {
  it('is valid for the installed electron-builder', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    await expect(
      validateConfiguration(config, { add() {}, isEnabled: false }),
    ).resolves.toBeUndefined();
  });

  it('flips the fuses that close Node and debugging entry points', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeCliInspectArguments: false,
      enableNodeOptionsEnvironmentVariable: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
  });

  it('ships only dist/ and package.json in an asar, and registers the link scheme', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toEqual(['dist/**', '!dist/**/*.map', 'package.json']);
    expect(config.protocols).toEqual([
      { name: 'AFT! Launcher job link', schemes: ['aft-launcher'] },
    ]);
  });

  it('builds AppImage and deb, NSIS and dmg, with icons that exist', () => {
    const linux = config.linux as { target: string[]; icon: string };
    const win = config.win as { target: string[]; icon: string };
    const mac = config.mac as { target: string[]; icon: string };
    expect(linux.target).toEqual(['AppImage', 'deb']);
    expect(win.target).toEqual(['nsis']);
    expect(mac.target).toEqual(['dmg']);
    for (const icon of [linux.icon, win.icon, mac.icon]) {
      expect(fs.existsSync(path.join(root, icon)), icon).toBe(true);
    }
  });
});

describe('build/ icons', () => {
  const pngSize = (file: string) => {
    const bytes = fs.readFileSync(path.join(root, 'build', file));
    expect(bytes.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
  };

  it('has a 512 px app icon and 16/32 px tray icons per state, as PNG, ICO and macOS templates', () => {
    expect(pngSize('icon.png')).toEqual([512, 512]);
    for (const state of ['idle', 'running', 'failure']) {
      expect(pngSize(`tray-${state}.png`)).toEqual([16, 16]);
      expect(pngSize(`tray-${state}@2x.png`)).toEqual([32, 32]);
      const ico = fs.readFileSync(path.join(root, 'build', `tray-${state}.ico`));
      expect([ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([1, 2]);
    }
    for (const name of ['tray', 'trayRunning', 'trayFailure']) {
      expect(pngSize(`${name}Template.png`)).toEqual([16, 16]);
      expect(pngSize(`${name}Template@2x.png`)).toEqual([32, 32]);
    }
  });
  it('are exactly what scripts/make-icons.mjs draws', () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'aft-icons-'));
    try {
      execFileSync(process.execPath, ['scripts/make-icons.mjs', `--out=${fresh}`], { cwd: root });
      const drawn = fs.readdirSync(fresh).sort();
      expect(drawn).toHaveLength(17);
      for (const file of drawn) {
        expect(
          fs
            .readFileSync(path.join(fresh, file))
            .equals(fs.readFileSync(path.join(root, 'build', file))),
          file,
        ).toBe(true);
      }
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});
