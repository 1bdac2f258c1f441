// The app's own command-line switches, read from this process's argv or a second instance's.
import { parseCommandLine, type LaunchRequest } from './deep-link.ts';

export interface LaunchOptions {
  /** `--demo`: start the built-in demo server at launch (`npm run demo`). */
  demo: boolean;
  /** `--hidden`: start in the tray without showing the window (start at login). */
  hidden: boolean;
  /** A job's run form to open, from `--run "<job>"` or an `aft-launcher://` link. */
  launchRequest?: LaunchRequest;
}

export const HIDDEN_SWITCH = '--hidden';
export const DEMO_SWITCH = '--demo';

export function parseLaunchOptions(argv: readonly string[]): LaunchOptions {
  const launchRequest = parseCommandLine(argv);
  return {
    demo: argv.includes(DEMO_SWITCH),
    hidden: argv.includes(HIDDEN_SWITCH),
    ...(launchRequest ? { launchRequest } : {}),
  };
}
