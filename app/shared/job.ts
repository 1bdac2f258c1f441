// Vocabulary of AFT! jobs shared by the client, the main-process services and the window.

/** How a job is named in `POST /v1/jobs`: exactly one of these keys is sent. */
export const TARGET_KINDS = ['scriptName', 'scriptId', 'filePath'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export interface JobTarget {
  kind: TargetKind;
  value: string;
}

/** A flat key/value object, as the API documents `params`. */
export type FlatParams = Record<string, string | number | boolean>;

/**
 * The server's own state names vary and are undocumented; they are normalised to these.
 * `unknown` is treated as still running until a terminal state or an exit code says otherwise.
 */
export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'unknown'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const TERMINAL_STATES: readonly JobState[] = ['succeeded', 'failed'];

export function isTerminal(state: JobState): boolean {
  return TERMINAL_STATES.includes(state);
}

/** What the client could make of a job info object; `raw` is kept for display. */
export interface JobInfo {
  id: string;
  state: JobState;
  /** The state exactly as the server wrote it, when it wrote one. */
  serverState?: string;
  exitCode?: number;
  startedAt?: string;
  endedAt?: string;
  raw: unknown;
}
