// Simulated jobs. A job's state is derived from the clock on every read, so a job costs a
// record and no timer: thousands of jobs cost nothing while nobody asks about them.
import {
  DEFAULT_QUEUED_MS,
  exitCodeOf,
  type ScriptDefinition,
  type TargetKind,
} from './scripts.ts';

export type ParamValue = string | number | boolean | null;
export type SimulatedJobState = 'queued' | 'running' | 'completed' | 'failed';

/** flat: {id,status,...}; nested: {job:{jobId,state:'RUNNING',...}}; snake: {job_id,state,exit_code,...} */
export type JobInfoShape = 'flat' | 'nested' | 'snake';

/** A job as the simulator recorded it, with its state at the moment it was read. */
export interface SimulatedJob {
  id: string;
  scriptName: string;
  scriptId: string;
  filePath?: string;
  /** How the launch request named the script. */
  target: { kind: TargetKind; value: string };
  params: Record<string, ParamValue>;
  state: SimulatedJobState;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  exitCode?: number;
  log: string[];
  /** Label of the API key that launched it. */
  apiKeyLabel?: string;
}

export interface JobRecord {
  id: string;
  script: ScriptDefinition;
  target: { kind: TargetKind; value: string };
  params: Record<string, ParamValue>;
  apiKeyLabel?: string;
  createdAtMs: number;
}

function timesOf(record: JobRecord): { startMs: number; endMs: number } {
  const startMs = record.createdAtMs + (record.script.queuedMs ?? DEFAULT_QUEUED_MS);
  return { startMs, endMs: startMs + record.script.durationMs };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function jobAt(record: JobRecord, nowMs: number): SimulatedJob {
  const { startMs, endMs } = timesOf(record);
  const { script } = record;
  const started = nowMs >= startMs;
  const ended = nowMs >= endMs;
  const scriptLines = script.log ?? [];
  const log: string[] = [];
  if (started) {
    log.push(`Started "${script.name}"`);
    scriptLines.forEach((line, index) => {
      const shownAtMs = startMs + (script.durationMs * (index + 1)) / (scriptLines.length + 1);
      if (nowMs >= shownAtMs || ended) log.push(line);
    });
  }
  const exitCode = exitCodeOf(script);
  if (ended) log.push(`Exit(${exitCode})`);
  let state: SimulatedJobState = 'queued';
  if (ended) state = script.outcome === 'success' ? 'completed' : 'failed';
  else if (started) state = 'running';
  return {
    id: record.id,
    scriptName: script.name,
    scriptId: script.id,
    ...(script.filePath === undefined ? {} : { filePath: script.filePath }),
    target: { ...record.target },
    params: { ...record.params },
    state,
    createdAt: iso(record.createdAtMs),
    ...(started ? { startedAt: iso(startMs) } : {}),
    ...(ended ? { endedAt: iso(endMs), exitCode } : {}),
    log,
    ...(record.apiKeyLabel === undefined ? {} : { apiKeyLabel: record.apiKeyLabel }),
  };
}

const NESTED_STATES: Record<SimulatedJobState, string> = {
  queued: 'QUEUED',
  running: 'RUNNING',
  completed: 'COMPLETED',
  failed: 'FAILED',
};

// The snake shape also uses other plausible state words, so clients meet more than one vocabulary.
const SNAKE_STATES: Record<SimulatedJobState, string> = {
  queued: 'pending',
  running: 'running',
  completed: 'success',
  failed: 'error',
};

/** The job info object as the API answers it; `withId: false` leaves every ID field out. */
export function jobInfoBody(
  job: SimulatedJob,
  shape: JobInfoShape,
  withId = true,
): Record<string, unknown> {
  switch (shape) {
    case 'flat':
      return {
        ...(withId ? { id: job.id } : {}),
        scriptName: job.scriptName,
        scriptId: job.scriptId,
        filePath: job.filePath,
        status: job.state,
        params: job.params,
        createdAt: job.createdAt,
        startedAt: job.startedAt,
        endedAt: job.endedAt,
        exitCode: job.exitCode,
        log: job.log,
      };
    case 'nested':
      return {
        job: {
          ...(withId ? { jobId: job.id } : {}),
          script: { name: job.scriptName, id: job.scriptId, filePath: job.filePath },
          state: NESTED_STATES[job.state],
          params: job.params,
          createdAt: job.createdAt,
          startedAt: job.startedAt,
          endedAt: job.endedAt,
          exitCode: job.exitCode,
          log: job.log,
        },
      };
    case 'snake':
      return {
        ...(withId ? { job_id: job.id } : {}),
        script_name: job.scriptName,
        script_id: job.scriptId,
        file_path: job.filePath,
        state: SNAKE_STATES[job.state],
        params: job.params,
        created_at: job.createdAt,
        started_at: job.startedAt,
        ended_at: job.endedAt,
        exit_code: job.exitCode,
        log: job.log,
      };
  }
}
