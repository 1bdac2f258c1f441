// Start at login: Electron's login items on macOS and Windows, an XDG autostart entry on Linux.
// The app starts hidden in the tray then.
import {
  autostartDirectory,
  isLinuxAutostartEnabled,
  setLinuxAutostart,
} from '../core/desktop/autostart.ts';
import { HIDDEN_SWITCH } from '../core/desktop/launch-options.ts';

export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
}

export interface LoginItemContext {
  platform: NodeJS.Platform;
  /** The program the OS starts: the AppImage when running from one, else the executable. */
  executable: string;
  /** Arguments before ours: the app folder in development, none when packaged. */
  appArgs: string[];
  env: NodeJS.ProcessEnv;
  homeDir: string;
}

export function applyStartAtLogin(
  app: LoginItemApp,
  enabled: boolean,
  context: LoginItemContext,
): void {
  const args = [...context.appArgs, HIDDEN_SWITCH];
  if (context.platform === 'linux') {
    setLinuxAutostart(autostartDirectory(context.env, context.homeDir), enabled, {
      name: 'AFT! Launcher',
      comment: 'Start AFT! jobs from the tray',
      executable: context.executable,
      args,
    });
    return;
  }
  if (context.platform === 'win32') {
    app.setLoginItemSettings({ openAtLogin: enabled, path: context.executable, args });
    return;
  }
  app.setLoginItemSettings({ openAtLogin: enabled, args });
}

export function isLinuxStartAtLoginEnabled(context: Pick<LoginItemContext, 'env' | 'homeDir'>) {
  return isLinuxAutostartEnabled(autostartDirectory(context.env, context.homeDir));
}
