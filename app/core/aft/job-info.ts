// The "job info" object is not documented (see shared/aft-api.md): field names, nesting and
// state names vary, so it is read defensively and the raw object is kept for display.
import type { JobInfo, JobState } from '../../shared/job.ts';

type Fields = Record<string, unknown>;

/** Keys are compared case-insensitively and without `_`/`-`, so `job_id`, `jobID`, `JobId` match. */
function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

const ID_KEYS = ['id', 'jobid'];
const STATE_KEYS = ['status', 'state', 'jobstatus', 'jobstate'];
const EXIT_CODE_KEYS = ['exitcode', 'exitstatus', 'code', 'returncode'];
const STARTED_KEYS = ['startedat', 'starttime', 'started', 'startedon', 'start', 'startdate'];
const ENDED_KEYS = [
  'endedat',
  'endtime',
  'ended',
  'finishedat',
  'finishtime',
  'finished',
  'completedat',
  'completed',
  'end',
  'enddate',
];
const NESTING_KEYS = ['job', 'data', 'result', 'jobinfo'];

const STATE_NAMES: Record<string, JobState> = {};
for (const name of ['queued', 'pending', 'waiting', 'scheduled', 'created', 'submitted'])
  STATE_NAMES[name] = 'queued';
for (const name of ['running', 'started', 'inprogress', 'active', 'executing', 'processing'])
  STATE_NAMES[name] = 'running';
for (const name of ['completed', 'complete', 'success', 'succeeded', 'successful', 'done'])
  STATE_NAMES[name] = 'succeeded';
for (const name of ['finished', 'ok']) STATE_NAMES[name] = 'succeeded';
for (const name of [
  'failed',
  'failure',
  'error',
  'errored',
  'aborted',
  'cancelled',
  'canceled',
  'killed',
  'timeout',
  'timedout',
  'terminated',
])
  STATE_NAMES[name] = 'failed';

function isFields(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function field(object: Fields, keys: readonly string[]): unknown {
  for (const wanted of keys) {
    for (const [key, value] of Object.entries(object)) {
      if (normaliseKey(key) === wanted && value !== undefined && value !== null) return value;
    }
  }
  return undefined;
}

/** The object itself first, then objects nested under job/data/result (two levels at most). */
function candidates(raw: Fields): Fields[] {
  const found: Fields[] = [raw];
  let current = raw;
  for (let depth = 0; depth < 2; depth += 1) {
    const nested = field(current, NESTING_KEYS);
    if (!isFields(nested)) break;
    found.push(nested);
    current = nested;
  }
  return found;
}

function firstOf<T>(objects: Fields[], read: (object: Fields) => T | undefined): T | undefined {
  for (const object of objects) {
    const value = read(object);
    if (value !== undefined) return value;
  }
  return undefined;
}

function readId(object: Fields): string | undefined {
  const value = field(object, ID_KEYS);
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function readStateName(object: Fields): string | undefined {
  const value = field(object, STATE_KEYS);
  if (typeof value === 'string' && value.trim()) return value.trim();
  // `status: { state: "running" }` or `status: { name: ... }`.
  if (isFields(value)) {
    const inner = field(value, ['state', 'name', 'value', 'status']);
    if (typeof inner === 'string' && inner.trim()) return inner.trim();
  }
  return undefined;
}

function readExitCode(object: Fields): number | undefined {
  const value = field(object, EXIT_CODE_KEYS);
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function readTime(object: Fields, keys: readonly string[]): string | undefined {
  const value = field(object, keys);
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    // Epoch seconds or milliseconds: below 1e12 can only be seconds for any date after 2001.
    const ms = value < 1e12 ? value * 1000 : value;
    return new Date(ms).toISOString();
  }
  return undefined;
}

export function normaliseJobState(serverState: string | undefined): JobState {
  if (!serverState) return 'unknown';
  return STATE_NAMES[serverState.toLowerCase().replace(/[\s_-]/g, '')] ?? 'unknown';
}

/**
 * Reads a job info object of any plausible shape. Returns null when no job ID can be found
 * (unless the caller already knows it: a status answer need not repeat the ID).
 */
export function parseJobInfo(raw: unknown, knownId?: string): JobInfo | null {
  if (!isFields(raw)) return null;
  const objects = candidates(raw);
  const id = firstOf(objects, readId) ?? knownId;
  if (!id) return null;

  const serverState = firstOf(objects, readStateName);
  const exitCode = firstOf(objects, readExitCode);
  const startedAt = firstOf(objects, (object) => readTime(object, STARTED_KEYS));
  const endedAt = firstOf(objects, (object) => readTime(object, ENDED_KEYS));

  let state = normaliseJobState(serverState);
  if (state === 'succeeded' && exitCode !== undefined && exitCode !== 0) state = 'failed';
  if (state === 'unknown' && exitCode !== undefined && endedAt !== undefined) {
    // Only with an end time: servers written in Go serialise `exitCode: 0` for a job that has
    // not finished yet (the zero value), so an exit code alone proves nothing.
    state = exitCode === 0 ? 'succeeded' : 'failed';
  }

  const info: JobInfo = { id, state, raw };
  if (serverState !== undefined) info.serverState = serverState;
  if (exitCode !== undefined) info.exitCode = exitCode;
  if (startedAt !== undefined) info.startedAt = startedAt;
  if (endedAt !== undefined) info.endedAt = endedAt;
  return info;
}
