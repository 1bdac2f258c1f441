// The command's exit codes are its API for scripts and CI: each failure class has its own code,
// so a caller can tell "fix the key" from "the server is down" without parsing text.
import type { AftErrorCode } from '../core/aft/errors.ts';

export const EXIT_CODES = {
  ok: 0,
  usage: 2,
  network: 3,
  tls: 4,
  auth: 5,
  rejected: 6,
  serverError: 7,
  jobFailed: 8,
  outcomeUnknown: 9,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The documented table, printed by `--help` and copied into the README. */
export const EXIT_CODE_TABLE: readonly { code: ExitCode; meaning: string }[] = [
  { code: 0, meaning: 'ok: the job was started (with --wait: it ended successfully)' },
  { code: 2, meaning: 'usage: bad or missing arguments (nothing was sent)' },
  { code: 3, meaning: 'network: server unreachable or timed out before sending' },
  { code: 4, meaning: 'TLS: certificate untrusted, changed, expired or for another host' },
  { code: 5, meaning: "auth: key refused or this machine's IP not on its allow-list" },
  { code: 6, meaning: 'rejected: script not found or request refused (400/404/413/415)' },
  { code: 7, meaning: 'server error (5xx)' },
  { code: 8, meaning: 'job failed (with --wait)' },
  {
    code: 9,
    meaning:
      'launched but outcome unknown: lost after sending, 2xx answer without a job ID, status unreadable, --timeout or Ctrl-C',
  },
];

/** How a failed call maps to an exit code. `requestMayHaveReachedServer` turns a lost
 *  connection into "outcome unknown": the job may be running, and a script must not blindly retry. */
export function exitCodeForError(error: {
  code: AftErrorCode;
  requestMayHaveReachedServer: boolean;
}): ExitCode {
  switch (error.code) {
    case 'unreachable':
    case 'timeout':
      return error.requestMayHaveReachedServer ? EXIT_CODES.outcomeUnknown : EXIT_CODES.network;
    case 'tls-untrusted':
    case 'tls-changed':
    case 'tls-expired':
    case 'tls-wrong-host':
      return EXIT_CODES.tls;
    case 'auth':
      return EXIT_CODES.auth;
    case 'script-not-found':
    case 'rejected':
      return EXIT_CODES.rejected;
    case 'server-error':
      return EXIT_CODES.serverError;
    // A launch's 2xx answer that cannot be read still means the job was created: a script that
    // retried on "server error" would start it twice.
    case 'malformed':
      return error.requestMayHaveReachedServer ? EXIT_CODES.outcomeUnknown : EXIT_CODES.serverError;
    case 'status-unavailable':
      return EXIT_CODES.outcomeUnknown;
    case 'invalid-url':
      return EXIT_CODES.usage;
  }
}
