// Start at login on Linux: an XDG autostart entry (~/.config/autostart/<id>.desktop), which
// every freedesktop session (GNOME, KDE, Xfce, ...) honours. macOS and Windows use Electron's
// login item settings instead (app/main/login-item.ts).
import fs from 'node:fs';
import path from 'node:path';

export const AUTOSTART_FILE_NAME = 'aft-launcher.desktop';

export interface AutostartEntry {
  name: string;
  /** The program to start: the AppImage itself when running from one, else the executable. */
  executable: string;
  args: readonly string[];
  comment?: string;
}

/** Quotes one argument for an Exec line (Desktop Entry Specification, "The Exec key"). */
export function quoteExecArgument(argument: string): string {
  if (/[\n\r]/.test(argument)) throw new Error('An autostart argument cannot span lines.');
  const escaped = argument.replace(/%/g, '%%');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(escaped)) return escaped;
  const quoted = `"${escaped.replace(/[\\"`$]/g, (char) => `\\${char}`)}"`;
  // The Exec value is also a string value, whose own escaping (`\\` for a backslash) applies
  // before the quoting rule: the spec writes a literal `$` in a quoted argument as `\\$`.
  return quoted.replace(/\\/g, '\\\\');
}

export function buildAutostartDesktopEntry(entry: AutostartEntry): string {
  const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ');
  const exec = [entry.executable, ...entry.args].map(quoteExecArgument).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${oneLine(entry.name)}`,
    ...(entry.comment ? [`Comment=${oneLine(entry.comment)}`] : []),
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** `$XDG_CONFIG_HOME/autostart`, or `~/.config/autostart`. */
export function autostartDirectory(env: NodeJS.ProcessEnv, homeDir: string): string {
  const configHome = env.XDG_CONFIG_HOME;
  const base =
    configHome && path.isAbsolute(configHome) ? configHome : path.join(homeDir, '.config');
  return path.join(base, 'autostart');
}

/** Writes (enabled) or removes (disabled) the entry; returns the file's path. */
export function setLinuxAutostart(
  directory: string,
  enabled: boolean,
  entry: AutostartEntry,
): string {
  const file = path.join(directory, AUTOSTART_FILE_NAME);
  if (!enabled) {
    fs.rmSync(file, { force: true });
    return file;
  }
  fs.mkdirSync(directory, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, buildAutostartDesktopEntry(entry), { mode: 0o644 });
  fs.renameSync(temporary, file);
  return file;
}

export function isLinuxAutostartEnabled(directory: string): boolean {
  return fs.existsSync(path.join(directory, AUTOSTART_FILE_NAME));
}
