// The simulator's catalog of stored scripts, and how a launch request names one of them.

export interface ScriptDefinition {
  name: string;
  /** AFT! script IDs look like `p3fEoexohdHj6SXrvuT8H8`. */
  id: string;
  /** Path of the `.syncjs` file on the server's disk, for `filePath` launches. */
  filePath?: string;
  durationMs: number;
  /** Time spent queued before it runs; default DEFAULT_QUEUED_MS. */
  queuedMs?: number;
  outcome: 'success' | 'failure';
  /** Default 0 for success, 1 for failure. */
  exitCode?: number;
  /** Lines the script "prints", revealed evenly while it runs. */
  log?: string[];
}

export type TargetKind = 'scriptName' | 'scriptId' | 'filePath';

export const DEFAULT_QUEUED_MS = 300;

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export const DEMO_SCRIPTS: ScriptDefinition[] = [
  {
    name: 'My Backup Job',
    id: 'p3fEoexohdHj6SXrvuT8H8',
    filePath: '/opt/aft/scripts/my-backup-job.syncjs',
    durationMs: 4 * SECOND,
    outcome: 'success',
    log: [
      'Connecting to sftp://backup.example.internal:22',
      'Scanning /srv/data (1,284 files)',
      'Uploading 37 changed files (212 MB)',
      'Verifying checksums',
      'Backup finished: 37 files, 212 MB',
    ],
  },
  {
    name: 'Nightly Sync',
    id: 'Nq7TzR2kWb9YhLm4XcVd3s',
    filePath: '/opt/aft/scripts/nightly-sync.syncjs',
    durationMs: 12 * SECOND,
    outcome: 'success',
    log: [
      'Connecting to s3://partner-exchange/outbox',
      'Comparing 4,512 remote objects with /srv/exchange',
      'Downloading 12 new files',
      'Moving processed files to /srv/exchange/done',
      'Sync finished: 12 downloaded, 0 conflicts',
    ],
  },
  {
    name: 'Rotate Logs',
    id: 'Rl8mQ4sVx2KpZt6HyBn5Ja',
    filePath: '/opt/aft/scripts/rotate-logs.syncjs',
    durationMs: 2 * SECOND,
    outcome: 'success',
    log: ['Compressing 6 log files older than 7 days', 'Deleted 3 archives older than 90 days'],
  },
  {
    name: 'Upload Invoices',
    id: 'Ui4cXw9PqE3nRt7LkMz2Gf',
    filePath: '/opt/aft/scripts/upload-invoices.syncjs',
    durationMs: 3 * SECOND,
    outcome: 'failure',
    exitCode: 2,
    log: [
      'Connecting to ftps://edi.partner.example:990',
      'Login failed: 530 User cannot log in',
      'Giving up after 3 attempts',
    ],
  },
  {
    name: 'Full Archive Migration',
    id: 'Fa2vJk8TnW5qYs3ZcRh9Ld',
    filePath: '/opt/aft/scripts/full-archive-migration.syncjs',
    durationMs: 5 * MINUTE,
    outcome: 'success',
    log: [
      'Listing /archive (2.1 TB, 96,402 files)',
      'Copying batch 1 of 4',
      'Copying batch 2 of 4',
      'Copying batch 3 of 4',
      'Copying batch 4 of 4',
      'Migration finished: 96,402 files copied',
    ],
  },
];

export function exitCodeOf(script: ScriptDefinition): number {
  return script.exitCode ?? (script.outcome === 'success' ? 0 : 1);
}

export function findScript(
  scripts: Iterable<ScriptDefinition>,
  kind: TargetKind,
  value: string,
): ScriptDefinition | undefined {
  for (const script of scripts) {
    if (kind === 'scriptName' && script.name.toLowerCase() === value.toLowerCase()) return script;
    if (kind === 'scriptId' && script.id === value) return script;
    if (kind === 'filePath' && script.filePath !== undefined && script.filePath === value) {
      return script;
    }
  }
  return undefined;
}
