import { describe, expect, it } from 'vitest';
import { HELP_TEXT, parseCommandLine, type StartOptions } from '../../app/cli/args.ts';
import { EXIT_CODE_TABLE } from '../../app/cli/exit-codes.ts';

const FINGERPRINT =
  '3A:F1:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:01:23:45:67:89:AB:CD:EF:10:32:54:76:98:BA';

function parseStart(argv: string[], env: Record<string, string> = {}): StartOptions {
  const parsed = parseCommandLine(['start', ...argv], env);
  if (parsed.kind !== 'start') throw new Error(`expected start, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}

function usageError(argv: string[], env: Record<string, string> = {}): string {
  const parsed = parseCommandLine(argv, env);
  if (parsed.kind !== 'usage-error') throw new Error(`expected a usage error, got ${parsed.kind}`);
  return parsed.message;
}

describe('aft-launcher start: arguments', () => {
  it('accepts the vendor CLI form with its defaults', () => {
    expect(parseStart(['-n', 'My Backup Job', '-a', 'k3y'])).toEqual({
      target: { kind: 'scriptName', value: 'My Backup Job' },
      apiKey: 'k3y',
      baseUrl: 'https://127.0.0.1:44399',
      params: {},
      wait: false,
      json: false,
    });
  });

  it.each([
    [['--name', 'Nightly Sync'], { kind: 'scriptName', value: 'Nightly Sync' }],
    [
      ['--script-id', 'p3fEoexohdHj6SXrvuT8H8'],
      { kind: 'scriptId', value: 'p3fEoexohdHj6SXrvuT8H8' },
    ],
    [['--file', '/opt/aft/x.syncjs'], { kind: 'filePath', value: '/opt/aft/x.syncjs' }],
  ])('names the script with %j', (flags, target) => {
    expect(parseStart([...flags, '--apikey=k']).target).toEqual(target);
  });

  it.each([
    ['aft.example.com:8443', 'https://aft.example.com:8443'],
    ['aft.example.com', 'https://aft.example.com:44399'],
    ['https://10.0.0.5:44399', 'https://10.0.0.5:44399'],
    ['[::1]:5000', 'https://[::1]:5000'],
  ])('--host %s is %s', (host, baseUrl) => {
    expect(parseStart(['-n', 'x', '-a', 'k', '--host', host]).baseUrl).toBe(baseUrl);
  });

  it('merges --param over --params, keeping JSON types and leaving --param values strings', () => {
    const options = parseStart([
      '-n',
      'x',
      '-a',
      'k',
      '--params',
      '{"destination":"/archive","retries":3,"dryRun":true}',
      '--param',
      'destination=/archive/2026',
      '--param',
      'note=a=b',
      '--param',
      'count=7',
    ]);
    expect(options.params).toEqual({
      destination: '/archive/2026',
      retries: 3,
      dryRun: true,
      note: 'a=b',
      count: '7',
    });
  });

  it('takes the key from AFT_API_KEY, and -a wins over it', () => {
    expect(parseStart(['-n', 'x'], { AFT_API_KEY: 'from-env' }).apiKey).toBe('from-env');
    expect(parseStart(['-n', 'x', '-a', 'from-flag'], { AFT_API_KEY: 'from-env' }).apiKey).toBe(
      'from-flag',
    );
  });

  it.each([
    FINGERPRINT,
    FINGERPRINT.toLowerCase(),
    FINGERPRINT.replace(/:/g, ''),
    FINGERPRINT.replace(/:/g, '').toLowerCase(),
  ])('reads the fingerprint %s in the canonical form', (given) => {
    expect(parseStart(['-n', 'x', '-a', 'k', '--fingerprint', given]).fingerprint).toBe(
      FINGERPRINT,
    );
  });

  it('reads --wait, --json and --timeout', () => {
    const options = parseStart(['-n', 'x', '-a', 'k', '--wait', '--json', '--timeout', '2.5']);
    expect(options).toMatchObject({ wait: true, json: true, timeoutMs: 2500 });
  });

  it.each<[string, string[], RegExp]>([
    ['no command', ['-n', 'x', '-a', 'k'], /Missing command/],
    ['an unknown command', ['run', '-n', 'x', '-a', 'k'], /Unknown command "run"/],
    ['no script', ['start', '-a', 'k'], /-n NAME, --script-id ID or --file PATH/],
    [
      'two scripts',
      ['start', '-n', 'x', '--file', '/f', '-a', 'k'],
      /only one of.*--name and --file/,
    ],
    ['an empty name', ['start', '-n', ' ', '-a', 'k'], /--name is empty/],
    ['no key', ['start', '-n', 'x'], /AFT_API_KEY.*-a KEY/],
    ['bad JSON', ['start', '-n', 'x', '-a', 'k', '--params', '{bad'], /--params is not valid JSON/],
    [
      'nested params',
      ['start', '-n', 'x', '-a', 'k', '--params', '{"a":{"b":1}}'],
      /"a" is an object.*flat/,
    ],
    ['null in params', ['start', '-n', 'x', '-a', 'k', '--params', '{"a":null}'], /"a" is null/],
    [
      'v3-style params',
      ['start', '-n', 'x', '-a', 'k', '--params', '[{"name":"k","value":"v"}]'],
      /not an array.*'\{"k":"v"\}'/,
    ],
    [
      'params that are a string',
      ['start', '-n', 'x', '-a', 'k', '--params', '"x"'],
      /not a string/,
    ],
    ['--param without =', ['start', '-n', 'x', '-a', 'k', '--param', 'novalue'], /KEY=VALUE/],
    ['--param without a key', ['start', '-n', 'x', '-a', 'k', '--param', '=v'], /KEY=VALUE/],
    [
      'an http host',
      ['start', '-n', 'x', '-a', 'k', '--host', 'http://h:1'],
      /--host:.*HTTPS only/,
    ],
    ['a bad port', ['start', '-n', 'x', '-a', 'k', '--host', 'h:99999'], /port/],
    ['a short fingerprint', ['start', '-n', 'x', '-a', 'k', '--fingerprint', 'AB:CD'], /64 hex/],
    ['a zero timeout', ['start', '-n', 'x', '-a', 'k', '--timeout', '0'], /--timeout/],
    ['a word timeout', ['start', '-n', 'x', '-a', 'k', '--timeout', 'soon'], /--timeout/],
    ['an unknown flag', ['start', '-n', 'x', '-a', 'k', '--force'], /Unknown option '--force'/],
    ['a missing value', ['start', '-a', 'k', '-n'], /--name <value>' argument missing/],
    [
      'a repeated flag',
      ['start', '-n', 'x', '-n', 'y', '-a', 'k'],
      /--name is given more than once/,
    ],
    [
      'an unquoted name',
      ['start', '-n', 'My', 'Backup', '-a', 'k'],
      /Unexpected argument "Backup"/,
    ],
  ])('rejects %s', (_case, argv, message) => {
    expect(usageError(argv)).toMatch(message);
  });

  it('never quotes the API key in a usage error', () => {
    const message = usageError(['start', '-n', 'x', '-a', 's3cret-key', '--params', '{"a":[1]}']);
    expect(message).not.toContain('s3cret-key');
  });

  it('answers --help and --version before anything else', () => {
    expect(parseCommandLine(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseCommandLine(['start', '-h'], {})).toEqual({ kind: 'help' });
    expect(parseCommandLine(['--version'], {})).toEqual({ kind: 'version' });
  });

  it('documents every exit code in --help', () => {
    for (const { code, meaning } of EXIT_CODE_TABLE) {
      expect(HELP_TEXT).toContain(`  ${code}  ${meaning}`);
    }
    expect(new Set(EXIT_CODE_TABLE.map(({ code }) => code)).size).toBe(EXIT_CODE_TABLE.length);
  });
});
