import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCommand,
  posixQuoted,
  powershellString,
} from '../../../app/core/jobs/copy-as-command.ts';
import { startTestSimulator, type TestSimulator } from '../../helpers/simulator.ts';

const run = promisify(execFile);
const VENDOR = { baseUrl: 'https://127.0.0.1:44399', apiKey: 'your-api-key-here' };
const BACKUP = { kind: 'scriptName' as const, value: 'My Backup Job' };
const PARAMS = { destination: '/archive/2026', character: 'goofy' };

// The vendor page's four examples, verbatim.
const VENDOR_CURL_MINIMAL = `curl -sk -X POST https://127.0.0.1:44399/v1/jobs \\
-H "X-API-Key: your-api-key-here" \\
-H "Content-Type: application/json" \\
-d '{"scriptName":"My Backup Job"}'`;
const VENDOR_CURL_PARAMS = `curl -sk -X POST https://127.0.0.1:44399/v1/jobs \\
-H "X-API-Key: your-api-key-here" \\
-H "Content-Type: application/json" \\
-d '{"scriptName":"My Backup Job","params":{"destination":"/archive/2026","character":"goofy"}}'`;
const VENDOR_POWERSHELL_MINIMAL = `$headers = @{ "X-API-Key" = "your-api-key-here" }
$body    = @{ scriptName = "My Backup Job" } | ConvertTo-Json

Invoke-RestMethod -Method POST \`
  -Uri "https://127.0.0.1:44399/v1/jobs" \`
  -Headers $headers \`
  -ContentType "application/json" \`
  -Body $body \`
  -SkipCertificateCheck`;
const VENDOR_POWERSHELL_PARAMS = `$headers = @{ "X-API-Key" = "your-api-key-here" }
$body    = @{
  scriptName = "My Backup Job"
  params     = @{ destination = "/archive/2026"; character = "goofy" }
} | ConvertTo-Json -Depth 3

Invoke-RestMethod -Method POST \`
  -Uri "https://127.0.0.1:44399/v1/jobs" \`
  -Headers $headers \`
  -ContentType "application/json" \`
  -Body $body \`
  -SkipCertificateCheck`;

describe('copy as command: the vendor page, exactly', () => {
  it('writes curl as the vendor does', () => {
    expect(buildCommand('curl', { ...VENDOR, target: BACKUP, params: {} })).toBe(
      VENDOR_CURL_MINIMAL,
    );
    expect(buildCommand('curl', { ...VENDOR, target: BACKUP, params: PARAMS })).toBe(
      VENDOR_CURL_PARAMS,
    );
  });

  it('writes PowerShell as the vendor does', () => {
    expect(buildCommand('powershell', { ...VENDOR, target: BACKUP, params: {} })).toBe(
      VENDOR_POWERSHELL_MINIMAL,
    );
    expect(buildCommand('powershell', { ...VENDOR, target: BACKUP, params: PARAMS })).toBe(
      VENDOR_POWERSHELL_PARAMS,
    );
  });

  it('writes aft start with the host, and refuses targets it cannot name', () => {
    expect(buildCommand('aft', { ...VENDOR, target: BACKUP, params: PARAMS })).toBe(
      `aft start -n "My Backup Job" -a "your-api-key-here" --params '{"destination":"/archive/2026","character":"goofy"}' --host "127.0.0.1:44399"`,
    );
    expect(() =>
      buildCommand('aft', {
        ...VENDOR,
        target: { kind: 'scriptId', value: 'p3fEoexohdHj6SXrvuT8H8' },
        params: {},
      }),
    ).toThrow(/takes a script name/);
    expect(
      buildCommand('aft', {
        baseUrl: 'https://[::1]:9000',
        apiKey: 'k',
        target: BACKUP,
        params: {},
      }),
    ).toContain('--host "[::1]:9000"');
  });

  it('types PowerShell values and quotes what PowerShell would expand', () => {
    const text = buildCommand('powershell', {
      ...VENDOR,
      target: { kind: 'filePath', value: 'C:\\jobs\\$nightly.syncjs' },
      params: { port: 22, dryRun: true, 'odd-name': 'say "hi" `now`\nbye' },
    });
    expect(text).toContain('  filePath = "C:\\jobs\\`$nightly.syncjs"');
    expect(text).toContain(
      '  params   = @{ port = 22; dryRun = $true; "odd-name" = "say `"hi`" ``now```nbye" }',
    );
    expect(powershellString('\u201cq\u201d')).toBe('"`\u201cq`\u201d"');
  });
});

describe('copy as command: POSIX quoting survives a real shell', () => {
  const hostile = [
    'plain',
    "it's",
    'a "quoted" $HOME `id` \\ !event',
    'line1\nline2',
    '$(touch /tmp/x)',
  ];

  it.each(hostile)('%j reaches the program unchanged', async (value) => {
    const { stdout } = await run('sh', ['-c', `printf %s ${posixQuoted(value)}`]);
    expect(stdout).toBe(value);
  });

  describe('the copied curl command, run by sh against the simulator', () => {
    let simulator: TestSimulator;
    beforeAll(async () => {
      simulator = await startTestSimulator();
    });
    afterAll(() => simulator.cleanup());

    it('starts the job with every value intact', async () => {
      const params = { note: hostile.join(' | '), count: 3, verbose: false };
      const command = buildCommand('curl', {
        baseUrl: simulator.url,
        apiKey: simulator.apiKey,
        target: { kind: 'scriptName', value: 'Quick Success' },
        params,
      });
      // The vendor's -k is the person's choice when pasting; here the test pins the certificate.
      const caFile = path.join(simulator.dataDir, 'ca-for-curl.pem');
      fs.writeFileSync(caFile, simulator.certPem);
      const pinned = command.replace('curl -sk ', `curl -sS --cacert ${posixQuoted(caFile)} `);
      const { stdout } = await run('sh', ['-c', pinned]);
      const answer = JSON.parse(stdout) as { id?: string; jobId?: string };
      const id = answer.id ?? answer.jobId;
      expect(simulator.job(String(id))?.params).toEqual(params);
    });
  });
});
