// "Copy as command": the same launch as a command the person can paste into a terminal, laid out
// exactly as the vendor's page writes it (curl for Linux/macOS, PowerShell for Windows) or as
// the vendor's `aft start` CLI takes it. Every value is quoted for its shell, so a value with
// quotes, dollars or newlines reaches AFT! unchanged.
import type { FlatParams, JobTarget } from '../../shared/job.ts';
import { launchBody } from '../aft/client.ts';
import { parseServerUrl } from '../aft/server-url.ts';
import { ServiceError } from '../service-error.ts';

export const COMMAND_FORMATS = ['curl', 'powershell', 'aft'] as const;
export type CommandFormat = (typeof COMMAND_FORMATS)[number];

export const API_KEY_PLACEHOLDER = 'your-api-key-here';

/** What stands for a secret value that is not to be included. */
export function secretPlaceholder(name: string): string {
  return `your-${name}-here`;
}

export interface CommandRequest {
  baseUrl: string;
  target: JobTarget;
  params: FlatParams;
  /** The key itself, or API_KEY_PLACEHOLDER. */
  apiKey: string;
}

/** POSIX shell: single quotes keep everything literal; a single quote is written '\''. */
export function posixSingleQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Double quotes as the vendor writes them, when nothing inside would be expanded (`$`, a
 * backtick, `\`, `"`, or `!` for interactive bash's history); single quotes otherwise.
 */
export function posixQuoted(text: string): string {
  return /^[^"$`\\!]*$/.test(text) ? `"${text}"` : posixSingleQuoted(text);
}

const POWERSHELL_ESCAPES: Record<string, string> = {
  '`': '``',
  $: '`$',
  '"': '`"',
  // PowerShell treats typographic double quotes as quote characters too.
  '\u201c': '`\u201c',
  '\u201d': '`\u201d',
  '\u201e': '`\u201e',
  '\n': '`n',
  '\r': '`r',
  '\t': '`t',
  '\0': '`0',
};

/** A PowerShell double-quoted string with every special character escaped by a backtick. */
export function powershellString(text: string): string {
  return `"${text.replace(/[`$"\u201c\u201d\u201e\n\r\t\0]/g, (c) => POWERSHELL_ESCAPES[c] ?? c)}"`;
}

function powershellKey(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : powershellString(name);
}

function powershellValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? '$true' : '$false';
  if (typeof value === 'number') return String(value);
  return powershellString(value);
}

function jobsUrl(baseUrl: string): string {
  return `${parseServerUrl(baseUrl).origin}/v1/jobs`;
}

function curlCommand(request: CommandRequest): string {
  const url = jobsUrl(request.baseUrl);
  const shownUrl = /^[A-Za-z0-9:/._-]+$/.test(url) ? url : posixSingleQuoted(url);
  return [
    `curl -sk -X POST ${shownUrl} \\`,
    `-H ${posixQuoted(`X-API-Key: ${request.apiKey}`)} \\`,
    `-H "Content-Type: application/json" \\`,
    `-d ${posixSingleQuoted(launchBody(request.target, request.params))}`,
  ].join('\n');
}

function powershellCommand(request: CommandRequest): string {
  const { target, params } = request;
  const headers = `$headers = @{ "X-API-Key" = ${powershellString(request.apiKey)} }`;
  const targetValue = powershellString(target.value);
  const entries = Object.entries(params);
  let body: string;
  if (entries.length === 0) {
    body = `$body    = @{ ${target.kind} = ${targetValue} } | ConvertTo-Json`;
  } else {
    const width = Math.max(target.kind.length, 'params'.length);
    const table = entries
      .map(([name, value]) => `${powershellKey(name)} = ${powershellValue(value)}`)
      .join('; ');
    body = [
      '$body    = @{',
      `  ${target.kind.padEnd(width)} = ${targetValue}`,
      `  ${'params'.padEnd(width)} = @{ ${table} }`,
      '} | ConvertTo-Json -Depth 3',
    ].join('\n');
  }
  return [
    headers,
    body,
    '',
    'Invoke-RestMethod -Method POST `',
    `  -Uri ${powershellString(jobsUrl(request.baseUrl))} \``,
    '  -Headers $headers `',
    '  -ContentType "application/json" `',
    '  -Body $body `',
    '  -SkipCertificateCheck',
  ].join('\n');
}

function aftCommand(request: CommandRequest): string {
  const { target, params } = request;
  if (target.kind !== 'scriptName') {
    const what = target.kind === 'scriptId' ? 'by its ID' : 'by a file path';
    throw new ServiceError(
      'unsupported',
      `The vendor's \`aft start\` command takes a script name (-n), but this job names its script ${what}. Copy the curl or PowerShell command instead, or change the job to name the script.`,
    );
  }
  const { host, port } = parseServerUrl(request.baseUrl);
  const hostPort = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const parts = [
    'aft start',
    `-n ${posixQuoted(target.value)}`,
    `-a ${posixQuoted(request.apiKey)}`,
  ];
  if (Object.keys(params).length > 0)
    parts.push(`--params ${posixSingleQuoted(JSON.stringify(params))}`);
  parts.push(`--host ${posixQuoted(hostPort)}`);
  return parts.join(' ');
}

export function buildCommand(format: CommandFormat, request: CommandRequest): string {
  switch (format) {
    case 'curl':
      return curlCommand(request);
    case 'powershell':
      return powershellCommand(request);
    case 'aft':
      return aftCommand(request);
  }
}
