import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  autostartDirectory,
  buildAutostartDesktopEntry,
  isLinuxAutostartEnabled,
  setLinuxAutostart,
} from '../../../app/core/desktop/autostart.ts';

const entry = {
  name: 'AFT! Launcher',
  executable: '/home/me/Apps/AFT Launcher.AppImage',
  args: ['--hidden'],
  comment: 'Start AFT! jobs from the tray',
};

describe('XDG autostart entry', () => {
  it('is a Desktop Entry whose Exec quotes the path with a space', () => {
    expect(buildAutostartDesktopEntry(entry)).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.0',
        'Name=AFT! Launcher',
        'Comment=Start AFT! jobs from the tray',
        'Exec="/home/me/Apps/AFT Launcher.AppImage" --hidden',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
  });

  it('escapes what the Exec key gives a meaning to, and refuses a line break', () => {
    const text = buildAutostartDesktopEntry({ ...entry, executable: '/opt/a"b$c%d/aft' });
    // As the Desktop Entry Specification writes them: `\\$`, `\\"`, and four for a backslash.
    expect(text).toContain('Exec="/opt/a\\\\"b\\\\$c%%d/aft" --hidden');
    const withBackslash = buildAutostartDesktopEntry({ ...entry, executable: 'C:\\a b' });
    expect(withBackslash).toContain('Exec="C:\\\\\\\\a b" --hidden');
    expect(() => buildAutostartDesktopEntry({ ...entry, args: ['a\nExec=evil'] })).toThrow(/lines/);
  });

  it('lives in $XDG_CONFIG_HOME/autostart, or ~/.config/autostart', () => {
    expect(autostartDirectory({ XDG_CONFIG_HOME: '/cfg' }, '/home/me')).toBe('/cfg/autostart');
    expect(autostartDirectory({}, '/home/me')).toBe('/home/me/.config/autostart');
    expect(autostartDirectory({ XDG_CONFIG_HOME: 'relative' }, '/home/me')).toBe(
      '/home/me/.config/autostart',
    );
  });
});

describe('setLinuxAutostart', () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory) fs.rmSync(path.dirname(directory), { recursive: true, force: true });
  });

  it('writes the entry when enabled and removes it when disabled', () => {
    directory = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aft-autostart-')), 'autostart');
    const file = setLinuxAutostart(directory, true, entry);
    expect(fs.readFileSync(file, 'utf8')).toBe(buildAutostartDesktopEntry(entry));
    expect(isLinuxAutostartEnabled(directory)).toBe(true);
    expect(fs.readdirSync(directory)).toEqual(['aft-launcher.desktop']);
    setLinuxAutostart(directory, false, entry);
    expect(isLinuxAutostartEnabled(directory)).toBe(false);
    // Disabling twice is not an error.
    setLinuxAutostart(directory, false, entry);
  });
});
