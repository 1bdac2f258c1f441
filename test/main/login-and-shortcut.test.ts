import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyStartAtLogin, isLinuxStartAtLoginEnabled } from '../../app/main/login-item.ts';
import { createQuickLaunchShortcut } from '../../app/main/shortcut.ts';
import { createFakeElectron } from '../fakes/electron.ts';

describe('start at login', () => {
  const context = {
    executable: '/opt/AFT/aft-launcher',
    appArgs: [],
    env: {},
    homeDir: '/nowhere',
  };

  it('uses login items on macOS and Windows, starting hidden', () => {
    const { app } = createFakeElectron();
    applyStartAtLogin(app, true, { ...context, platform: 'darwin' });
    applyStartAtLogin(app, false, {
      ...context,
      platform: 'win32',
      executable: 'C:\\AFT\\AFT.exe',
    });
    expect(app.loginItemSettings).toEqual([
      { openAtLogin: true, args: ['--hidden'] },
      { openAtLogin: false, path: 'C:\\AFT\\AFT.exe', args: ['--hidden'] },
    ]);
  });

  it('writes and removes an XDG autostart entry on Linux', () => {
    const { app } = createFakeElectron();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aft-home-'));
    try {
      const linux = {
        ...context,
        platform: 'linux' as const,
        homeDir: home,
        appArgs: ['/src/aft'],
      };
      applyStartAtLogin(app, true, linux);
      const file = path.join(home, '.config', 'autostart', 'aft-launcher.desktop');
      expect(fs.readFileSync(file, 'utf8')).toContain(
        'Exec=/opt/AFT/aft-launcher /src/aft --hidden',
      );
      expect(isLinuxStartAtLoginEnabled(linux)).toBe(true);
      applyStartAtLogin(app, false, linux);
      expect(isLinuxStartAtLoginEnabled(linux)).toBe(false);
      expect(app.loginItemSettings).toEqual([]);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('quick-launch shortcut', () => {
  it('registers the shortcut, replaces it when changed, and opens the palette when pressed', () => {
    const { globalShortcut } = createFakeElectron();
    let pressed = 0;
    const shortcut = createQuickLaunchShortcut(globalShortcut, () => (pressed += 1));
    expect(shortcut.apply('CommandOrControl+Shift+Space')).toBeUndefined();
    globalShortcut.press('CommandOrControl+Shift+Space');
    expect(pressed).toBe(1);
    expect(shortcut.apply('Alt+K')).toBeUndefined();
    expect([...globalShortcut.registered.keys()]).toEqual(['Alt+K']);
    expect(shortcut.apply('')).toBeUndefined();
    expect(globalShortcut.registered.size).toBe(0);
  });

  it('explains a shortcut that is taken or not understood', () => {
    const { globalShortcut } = createFakeElectron();
    globalShortcut.taken.add('Alt+K');
    const shortcut = createQuickLaunchShortcut(globalShortcut, () => {});
    expect(shortcut.apply('Alt+K')).toMatch(/already used by another program/);
    expect(shortcut.apply('Ctrl+!!')).toMatch(/not a shortcut the app understands/);
    expect(globalShortcut.registered.size).toBe(0);
  });

  it('lets go of the shortcut when disposed', () => {
    const { globalShortcut } = createFakeElectron();
    const shortcut = createQuickLaunchShortcut(globalShortcut, () => {});
    shortcut.apply('Alt+K');
    shortcut.dispose();
    expect(globalShortcut.registered.size).toBe(0);
  });
});
