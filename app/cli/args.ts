// Command-line parsing for `aft-launcher`: pure (argv and environment in, options or a usage
// error out), so every flag and conflict is testable without a process or a server.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { FlatParams, JobTarget } from '../shared/job.ts';
import { isAftError } from '../core/aft/errors.ts';
import { parseServerUrl } from '../core/aft/server-url.ts';
import { EXIT_CODE_TABLE } from './exit-codes.ts';

export const DEFAULT_HOST = '127.0.0.1:44399';
export const API_KEY_ENV = 'AFT_API_KEY';

export interface StartOptions {
  target: JobTarget;
  apiKey: string;
  /** Canonical `https://host:port`. */
  baseUrl: string;
  params: FlatParams;
  /** Expected SHA-256 fingerprint, as Node prints it: upper-case hex pairs joined by colons. */
  fingerprint?: string;
  wait: boolean;
  json: boolean;
  /** Limit on each request and, with --wait, on the whole wait. */
  timeoutMs?: number;
}

export type ParsedCommand =
  | { kind: 'start'; options: StartOptions }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'usage-error'; message: string };

const OPTIONS = {
  name: { type: 'string', short: 'n' },
  'script-id': { type: 'string' },
  file: { type: 'string' },
  apikey: { type: 'string', short: 'a' },
  host: { type: 'string' },
  params: { type: 'string' },
  param: { type: 'string', multiple: true },
  fingerprint: { type: 'string' },
  wait: { type: 'boolean' },
  json: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const TARGET_FLAGS: readonly { flag: keyof typeof OPTIONS; kind: JobTarget['kind'] }[] = [
  { flag: 'name', kind: 'scriptName' },
  { flag: 'script-id', kind: 'scriptId' },
  { flag: 'file', kind: 'filePath' },
];

const exitCodeLines = EXIT_CODE_TABLE.map(({ code, meaning }) => `  ${code}  ${meaning}`).join(
  '\n',
);

export const HELP_TEXT = `Usage: aft-launcher start (-n NAME | --script-id ID | --file PATH) [options]

Starts a job on an AFT! server through its REST API (POST /v1/jobs), as the vendor's
"aft start" does, and can wait for it to end.

Script (exactly one):
  -n, --name NAME         name of a stored script (matched regardless of case)
      --script-id ID      script ID (as used by AFT! v3 integrations)
      --file PATH         path of a .syncjs file on the server's disk

Options:
  -a, --apikey KEY        API key; default: the ${API_KEY_ENV} environment variable (prefer it:
                          other users of this machine can see command-line arguments)
      --host HOST:PORT    server (default ${DEFAULT_HOST}); https://host:port works too
      --params JSON       parameters as a flat JSON object, e.g. '{"destination":"/archive"}'
      --param KEY=VALUE   one parameter, as a string (repeatable; overrides --params)
      --fingerprint SHA256
                          trust the server's (self-signed) certificate only if its SHA-256
                          fingerprint is this one (with or without colons, any case)
      --wait              follow the job until it ends; the exit code says how it ended
      --json              machine output on stdout, one JSON object per line
      --timeout SECONDS   limit for each request and, with --wait, for the whole wait
  -h, --help              show this help
      --version           show the version

Exit codes:
${exitCodeLines}

Example:
  ${API_KEY_ENV}=… aft-launcher start -n "My Backup Job" --param destination=/archive/2026 --wait
`;

class UsageError extends Error {}

function usage(message: string): never {
  throw new UsageError(message);
}

/** Accepts `AB:CD:…`, `abcd…`, with spaces or colons, in any case. */
export function normaliseFingerprint(input: string): string | undefined {
  const hex = input.replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return undefined;
  return hex.match(/../g)!.join(':');
}

function parseTimeout(text: string): number {
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    usage(`--timeout takes a number of seconds greater than 0 (got "${text}").`);
  }
  return Math.round(seconds * 1000);
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function parseParamsJson(text: string): FlatParams {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    usage(
      `--params is not valid JSON (${reason}). Write a flat object, e.g. '{"destination":"/archive"}'.`,
    );
  }
  if (Array.isArray(parsed)) {
    usage(
      '--params must be a flat JSON object, not an array. The AFT! v3 form ' +
        `[{"name":"k","value":"v"}] is written '{"k":"v"}' now.`,
    );
  }
  if (parsed === null || typeof parsed !== 'object') {
    usage(
      `--params must be a flat JSON object such as '{"k":"v"}', not ${describeJsonType(parsed)}.`,
    );
  }
  const params: FlatParams = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value === 'string' || typeof value === 'boolean') params[key] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) params[key] = value;
    else {
      usage(
        `--params: "${key}" is ${describeJsonType(value)}; AFT! parameters are a flat key/value ` +
          'object whose values are strings, numbers or booleans (no nested objects, arrays or null).',
      );
    }
  }
  return params;
}

function parseParamFlag(text: string): [string, string] {
  const equals = text.indexOf('=');
  if (equals <= 0) usage(`--param takes KEY=VALUE (got "${text}").`);
  return [text.slice(0, equals), text.slice(equals + 1)];
}

/** Single-valued flags given twice are a mistake in a script, not a "last one wins". */
function rejectRepeatedFlags(tokens: ReturnType<typeof parseArgs>['tokens']): void {
  const seen = new Set<string>();
  for (const token of tokens ?? []) {
    if (token.kind !== 'option' || token.name === 'param') continue;
    if (seen.has(token.name)) usage(`--${token.name} is given more than once.`);
    seen.add(token.name);
  }
}

function parseStart(
  values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'],
  env: Readonly<Record<string, string | undefined>>,
): StartOptions {
  const given = TARGET_FLAGS.filter(({ flag }) => values[flag] !== undefined);
  if (given.length !== 1) {
    usage(
      given.length === 0
        ? 'Say which script to start: -n NAME, --script-id ID or --file PATH.'
        : `Give only one of -n/--name, --script-id and --file (got ${given.map(({ flag }) => `--${flag}`).join(' and ')}).`,
    );
  }
  const { flag, kind } = given[0]!;
  const targetValue = String(values[flag]).trim();
  if (!targetValue) usage(`--${flag} is empty.`);

  const apiKey = values.apikey ?? env[API_KEY_ENV];
  if (!apiKey) {
    usage(
      `No API key: set the ${API_KEY_ENV} environment variable or pass -a KEY. ` +
        "Create a key in the AFT! web UI (Settings > API Keys) and allow this machine's IP on it.",
    );
  }

  let baseUrl: string;
  try {
    baseUrl = parseServerUrl(values.host ?? DEFAULT_HOST).origin;
  } catch (error) {
    if (isAftError(error)) usage(`--host: ${error.message}`);
    throw error;
  }

  const params: FlatParams = values.params === undefined ? {} : parseParamsJson(values.params);
  for (const text of values.param ?? []) {
    const [key, value] = parseParamFlag(text);
    params[key] = value;
  }

  const options: StartOptions = {
    target: { kind, value: targetValue },
    apiKey,
    baseUrl,
    params,
    wait: values.wait ?? false,
    json: values.json ?? false,
  };
  if (values.fingerprint !== undefined) {
    const fingerprint = normaliseFingerprint(values.fingerprint);
    if (!fingerprint) {
      usage(
        "--fingerprint takes the certificate's SHA-256 fingerprint: 64 hexadecimal digits, " +
          'with or without colons (e.g. 3A:F1:…).',
      );
    }
    options.fingerprint = fingerprint;
  }
  if (values.timeout !== undefined) options.timeoutMs = parseTimeout(values.timeout);
  return options;
}

export function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedCommand {
  try {
    const { values, positionals, tokens } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
    if (values.help) return { kind: 'help' };
    if (values.version) return { kind: 'version' };
    const [command, ...extra] = positionals;
    if (command === undefined) usage('Missing command: aft-launcher start …');
    if (command !== 'start') usage(`Unknown command "${command}": the command is "start".`);
    if (extra.length > 0) {
      usage(
        `Unexpected argument "${extra[0]}". Quote values that contain spaces, e.g. -n "My Backup Job".`,
      );
    }
    rejectRepeatedFlags(tokens);
    return { kind: 'start', options: parseStart(values, env) };
  } catch (error) {
    if (error instanceof UsageError) return { kind: 'usage-error', message: error.message };
    // node:util parseArgs reports unknown options and missing values with ERR_PARSE_ARGS_* codes.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      return { kind: 'usage-error', message: (error as Error).message };
    }
    throw error;
  }
}
