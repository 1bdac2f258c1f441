// Turns an `aft-launcher://run/<job>?k=v` link or a `--run "<job>"` command line into a request
// to open a job's run form. Links come from anywhere (a web page, a chat message), so anything
// that is not exactly the expected shape yields nothing, and nothing here ever runs a job: the
// person confirms in the form.
import type { SavedJob } from '../../shared/model.ts';
import type { NavigateTarget } from '../../shared/ipc-contract.ts';

export const DEEP_LINK_SCHEME = 'aft-launcher';

/** What a link or command line asks for: the run form of a job (by name or ID), prefilled. */
export interface LaunchRequest {
  jobRef: string;
  values: Record<string, string>;
}

const MAX_LINK_LENGTH = 8192;
const MAX_JOB_REF_LENGTH = 200;
const MAX_VALUE_LENGTH = 4096;
const MAX_VALUES = 100;
const PARAM_NAME = /^[^\s]{1,200}$/;
// C0 and C1 controls, plus the bidirectional overrides used to disguise text.
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const LINK_PREFIX = `${DEEP_LINK_SCHEME}://run/`;

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function isSafeJobRef(jobRef: string): boolean {
  const trimmed = jobRef.trim();
  return (
    trimmed.length > 0 &&
    trimmed.length <= MAX_JOB_REF_LENGTH &&
    !UNSAFE_CHARACTERS.test(trimmed) &&
    !/[/\\]/.test(trimmed) &&
    trimmed !== '.' &&
    trimmed !== '..'
  );
}

function isSafeValue(value: string): boolean {
  // Multi-line values are legitimate (a multi-line text parameter); other controls are not.
  return value.length <= MAX_VALUE_LENGTH && !UNSAFE_CHARACTERS.test(value.replace(/\r?\n/g, ''));
}

/** Parses `aft-launcher://run/<job name or ID>?name=value&...`; anything else gives undefined. */
export function parseDeepLink(link: string): LaunchRequest | undefined {
  if (typeof link !== 'string' || link.length > MAX_LINK_LENGTH) return undefined;
  if (link.slice(0, LINK_PREFIX.length).toLowerCase() !== LINK_PREFIX) return undefined;
  const rest = link.slice(LINK_PREFIX.length).replace(/#.*$/s, '');
  const queryStart = rest.indexOf('?');
  const rawRef = queryStart === -1 ? rest : rest.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? '' : rest.slice(queryStart + 1);
  // One path segment only: `run/a/b` or `run/../x` is not a job.
  if (rawRef.includes('/') || rawRef.includes('\\')) return undefined;
  const jobRef = decode(rawRef);
  if (jobRef === undefined || !isSafeJobRef(jobRef)) return undefined;

  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  const pairs = rawQuery === '' ? [] : rawQuery.split('&').filter((pair) => pair !== '');
  if (pairs.length > MAX_VALUES) return undefined;
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    const name = decode(equals === -1 ? pair : pair.slice(0, equals));
    const value = decode(equals === -1 ? '' : pair.slice(equals + 1));
    if (name === undefined || value === undefined) return undefined;
    if (!PARAM_NAME.test(name) || UNSAFE_CHARACTERS.test(name) || !isSafeValue(value)) {
      return undefined;
    }
    if (name === '__proto__' || name === 'constructor' || name === 'prototype') return undefined;
    if (name in values) return undefined;
    values[name] = value;
  }
  return { jobRef: jobRef.trim(), values: { ...values } };
}

/**
 * Finds a launch request in a command line (this process's, or one forwarded by a second
 * instance): an `aft-launcher://` link anywhere in it, or `--run "<job>"` / `--run=<job>`.
 */
export function parseCommandLine(argv: readonly string[]): LaunchRequest | undefined {
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (typeof arg !== 'string') continue;
    if (arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) return parseDeepLink(arg);
    let jobRef: string | undefined;
    if (arg === '--run') jobRef = argv[index + 1];
    else if (arg.startsWith('--run=')) jobRef = arg.slice('--run='.length);
    else continue;
    if (typeof jobRef !== 'string' || !isSafeJobRef(jobRef) || jobRef.startsWith('-')) {
      return undefined;
    }
    return { jobRef: jobRef.trim(), values: {} };
  }
  return undefined;
}

/**
 * Where a launch request takes the window: the run form of the job it names (an exact ID
 * first, then the name, ignoring case), with only the values the job defines.
 */
export function resolveLaunchRequest(
  request: LaunchRequest,
  jobs: readonly SavedJob[],
): NavigateTarget | undefined {
  const byId = jobs.find((job) => job.id === request.jobRef);
  const wanted = request.jobRef.toLowerCase();
  const job = byId ?? jobs.find((job) => job.name.trim().toLowerCase() === wanted);
  if (!job) return undefined;
  const known = new Set(job.params.map((param) => param.name));
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.values)) {
    if (known.has(name)) values[name] = value;
  }
  return { screen: 'run-form', jobId: job.id, values };
}
