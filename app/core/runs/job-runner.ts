// Runs saved jobs and ad-hoc targets: checks the values, launches once through the AFT! client, records the run
// (secret values redacted), follows the job to its end, and tells the window, the tray and the
// notifier about every change. Each run is followed on its own: one that fails, or whose
// observer throws, never disturbs another. Runs still going when the app quit are picked up
// again by `resume`.
import type { RunStartResult } from '../../shared/ipc-contract.ts';
import {
  isTerminal,
  type FlatParams,
  type JobInfo,
  type JobState,
  type JobTarget,
} from '../../shared/job.ts';
import {
  JobTargetSchema,
  REDACTED,
  type ParamValues,
  type Run,
  type RunError,
  type RunState,
} from '../../shared/model.ts';
import { validateParams } from '../../shared/params.ts';
import type { AftClient, ServerEndpoint } from '../aft/client.ts';
import { isAftError } from '../aft/errors.ts';
import type { FollowUpdate, FollowedJobRef, JobFollower } from '../aft/follower.ts';
import { secretNames, toSavedJob, type SavedJobsService } from '../jobs/saved-jobs-service.ts';
import type { RunObserver, WindowEventSink } from '../ports.ts';
import type { Redactor } from '../secrets/redactor.ts';
import type { ServersService } from '../servers/servers-service.ts';
import { ServiceError, isServiceError, notFound } from '../service-error.ts';
import type { HistoryQuery, RunHistory } from '../store/run-history.ts';
import type { StoredJob, StoredServer } from '../store/settings-document.ts';

export interface RunFollowRef extends FollowedJobRef {
  endpoint: ServerEndpoint;
  jobId: string;
}

export interface JobRunnerDeps {
  client: Pick<AftClient, 'launch'>;
  follower: JobFollower<RunFollowRef>;
  servers: Pick<ServersService, 'get' | 'find' | 'endpoint'>;
  jobs: Pick<SavedJobsService, 'stored' | 'find' | 'withSavedSecrets' | 'rememberValues'>;
  history: RunHistory;
  observers: readonly RunObserver[];
  emit: WindowEventSink;
  redactor: Redactor;
  now: () => number;
  newId: () => string;
  log: (message: string) => void;
}

export type JobRunner = ReturnType<typeof createJobRunner>;

const MAY_BE_RUNNING = 'The job may be running: check the AFT! web UI before running it again.';

const JOB_STATE_OF_RUN: Partial<Record<RunState, JobState>> = {
  queued: 'queued',
  running: 'running',
  unknown: 'unknown',
};

/** The values sent, with every secret value replaced. */
export function redactValues(job: StoredJob, params: ParamValues): ParamValues {
  const secrets = secretNames(job.params);
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, secrets.has(name) ? REDACTED : value]),
  );
}

/**
 * A copy of a server's job info with secrets blanked: AFT! may echo the parameters back, so a
 * secret parameter's entry is replaced wherever it appears, and any known secret inside text.
 */
export function redactJobInfo(
  raw: unknown,
  secretParams: ReadonlySet<string>,
  redact: (text: string) => string,
  depth = 0,
): unknown {
  if (typeof raw === 'string') return redact(raw);
  if (raw === null || typeof raw !== 'object' || depth > 20) return raw;
  if (Array.isArray(raw))
    return raw.map((item) => redactJobInfo(item, secretParams, redact, depth + 1));
  return Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).map(([key, value]) => [
      key,
      secretParams.has(key) && (typeof value === 'string' || typeof value === 'number')
        ? REDACTED
        : redactJobInfo(value, secretParams, redact, depth + 1),
    ]),
  );
}

export function createJobRunner(deps: JobRunnerDeps) {
  const { history, follower } = deps;
  const stamp = () => new Date(deps.now()).toISOString();

  function setState(run: Run, state: RunState): void {
    if (run.state === state) return;
    run.state = state;
    run.timeline.push({ state, at: stamp() });
  }

  function publish(run: Run): void {
    run.updatedAt = stamp();
    history.changed(run);
    const snapshot = structuredClone(run);
    deps.emit('runUpdated', snapshot);
    const stored = run.savedJobId ? deps.jobs.find(run.savedJobId) : undefined;
    const job = stored ? toSavedJob(stored) : undefined;
    for (const observer of deps.observers) {
      try {
        observer.runUpdated(snapshot, job);
      } catch (error) {
        deps.log(deps.redactor.redact(`A run observer failed: ${describe(error)}`));
      }
    }
  }

  function describe(error: unknown): string {
    return error instanceof Error ? (error.stack ?? error.message) : String(error);
  }

  function applyJobInfo(run: Run, info: JobInfo): void {
    run.aftJobId = run.aftJobId ?? info.id;
    if (info.serverState !== undefined) run.serverState = info.serverState;
    if (info.exitCode !== undefined) run.exitCode = info.exitCode;
    const stored = run.savedJobId ? deps.jobs.find(run.savedJobId) : undefined;
    const secrets = stored ? secretNames(stored.params) : new Set<string>();
    run.lastJobInfo = redactJobInfo(info.raw, secrets, deps.redactor.redact);
    setState(run, info.state);
    if (isTerminal(info.state)) run.endedAt = info.endedAt ?? stamp();
  }

  /** What the person is shown and what history keeps: the server's text may quote a secret. */
  function runError(error: unknown): RunError {
    const redact = deps.redactor.redact;
    if (isAftError(error)) {
      const described: RunError = { code: error.code, message: redact(error.message) };
      if (error.status !== undefined) described.status = error.status;
      if (error.serverMessage !== undefined) described.serverMessage = redact(error.serverMessage);
      return described;
    }
    if (isServiceError(error)) return { code: error.code, message: error.message };
    return {
      code: 'internal',
      message: `Something unexpected went wrong while starting the job. ${MAY_BE_RUNNING}`,
    };
  }

  function launchFailed(run: Run, error: unknown): void {
    const mayHaveReached = isAftError(error)
      ? error.requestMayHaveReachedServer
      : !isServiceError(error);
    if (!isAftError(error) && !isServiceError(error)) {
      deps.log(deps.redactor.redact(`Launching run ${run.id} failed: ${describe(error)}`));
    }
    const described = runError(error);
    if (mayHaveReached && !/web UI/.test(described.message)) {
      described.message = `${described.message} ${MAY_BE_RUNNING}`;
    }
    run.error = described;
    setState(run, mayHaveReached ? 'uncertain' : 'not-started');
    run.endedAt = stamp();
  }

  function onUpdate(run: Run, update: FollowUpdate): void {
    switch (update.kind) {
      case 'status':
      case 'ended':
        delete run.error;
        applyJobInfo(run, update.job);
        break;
      case 'status-unavailable':
        run.error = runError(update.error);
        setState(run, 'status-unavailable');
        break;
      case 'transient-error':
        // The job is not failed; the follower reads again. Nothing the person must see yet.
        return;
    }
    publish(run);
  }

  function follow(run: Run, endpoint: ServerEndpoint): void {
    if (run.aftJobId === undefined) return;
    const ref: RunFollowRef = { key: run.id, endpoint, jobId: run.aftJobId };
    const knownState = JOB_STATE_OF_RUN[run.state];
    if (knownState) ref.knownState = knownState;
    follower.follow(ref, (update) => {
      try {
        onUpdate(run, update);
      } catch (error) {
        deps.log(deps.redactor.redact(`Following run ${run.id} failed: ${describe(error)}`));
      }
    });
  }

  async function launch(run: Run, endpoint: ServerEndpoint, params: FlatParams) {
    let info: JobInfo;
    try {
      info = await deps.client.launch(endpoint, run.target, params);
    } catch (error) {
      launchFailed(run, error);
      publish(run);
      return;
    }
    applyJobInfo(run, info);
    publish(run);
    if (!isTerminal(info.state)) follow(run, endpoint);
  }

  /** Records a new run, tells everyone, and launches it; the run as it stands after the launch. */
  async function launchNew(
    fields: Pick<Run, 'savedJobId' | 'jobName' | 'target' | 'values'>,
    server: StoredServer,
    params: FlatParams,
    beforeLaunch?: () => Promise<void>,
  ): Promise<RunStartResult> {
    const endpoint = await deps.servers.endpoint(server);
    const at = stamp();
    const run: Run = {
      id: deps.newId(),
      ...(fields.savedJobId === undefined ? {} : { savedJobId: fields.savedJobId }),
      jobName: fields.jobName,
      serverId: server.id,
      serverName: server.name,
      target: { ...fields.target },
      values: fields.values,
      state: 'launching',
      requestedAt: at,
      updatedAt: at,
      timeline: [{ state: 'launching', at }],
    };
    history.add(run);
    publish(run);
    await beforeLaunch?.();
    await launch(run, endpoint, params);
    return { ok: true, run: structuredClone(run) };
  }

  async function start(jobId: string, values: ParamValues): Promise<RunStartResult> {
    const job = deps.jobs.stored(jobId);
    const server = deps.servers.get(job.serverId);
    for (const name of secretNames(job.params)) {
      const value = values[name];
      if (typeof value === 'string' && value !== '') deps.redactor.remember(value);
    }
    const filled = await deps.jobs.withSavedSecrets(job, values);
    const checked = validateParams(job.params, filled);
    if (!checked.ok) {
      return {
        ok: false,
        fieldErrors: checked.fieldErrors,
        message: 'Some values need fixing before the job can run; nothing was sent.',
      };
    }
    return launchNew(
      {
        savedJobId: job.id,
        jobName: job.name,
        target: job.target,
        values: redactValues(job, checked.params),
      },
      server,
      checked.params,
      () => deps.jobs.rememberValues(job, checked.params),
    );
  }

  /**
   * Runs a target that is not a saved job, with the params exactly as given: there are no
   * definitions to check them against, and none of them is known to be secret.
   */
  async function startAdHoc(
    serverId: string,
    target: JobTarget,
    params: FlatParams,
  ): Promise<RunStartResult> {
    const server = deps.servers.get(serverId);
    const checkedTarget = JobTargetSchema.safeParse(target);
    if (!checkedTarget.success) {
      const issue = checkedTarget.error.issues[0];
      return {
        ok: false,
        fieldErrors: {
          'target.value': issue?.message ?? 'Enter the script name, ID or file path.',
        },
        message: 'The target needs fixing before the script can run; nothing was sent.',
      };
    }
    const { value } = checkedTarget.data;
    return launchNew(
      { jobName: value, target: checkedTarget.data, values: { ...params } },
      server,
      params,
    );
  }

  return {
    start,
    startAdHoc,

    /**
     * Runs a past run again with the values it sent: a saved job's (secrets from the vault), or
     * an ad-hoc run's target on the same server.
     */
    async rerun(runId: string): Promise<RunStartResult> {
      const run = history.get(runId);
      if (!run) throw notFound('This run');
      if (run.savedJobId === undefined) return startAdHoc(run.serverId, run.target, run.values);
      if (!deps.jobs.find(run.savedJobId)) {
        throw new ServiceError(
          'not-found',
          `The saved job "${run.jobName}" that this run belongs to was deleted, so it cannot be run again from here.`,
        );
      }
      const values = Object.fromEntries(
        Object.entries(run.values).filter(([, value]) => value !== REDACTED),
      );
      return start(run.savedJobId, values);
    },

    get(runId: string): Run {
      const run = history.get(runId);
      if (!run) throw notFound('This run');
      return structuredClone(run);
    },

    history(query: HistoryQuery): { runs: Run[]; total: number } {
      return structuredClone(history.query(query));
    },

    clearHistory(): void {
      history.clear();
      deps.emit('historyCleared', null);
    },

    /** Follows again the runs that were still going when the app last quit. */
    async resume(): Promise<void> {
      for (const run of history.active()) {
        if (run.state === 'launching' || run.aftJobId === undefined) {
          run.error = {
            code: 'interrupted',
            message: `AFT! Launcher closed while this job was being started. ${MAY_BE_RUNNING}`,
          };
          setState(run, 'uncertain');
          run.endedAt = stamp();
          publish(run);
          continue;
        }
        const server = deps.servers.find(run.serverId);
        try {
          if (!server) throw notFound(`The server "${run.serverName}"`);
          follow(run, await deps.servers.endpoint(server));
        } catch (error) {
          run.error = runError(error);
          run.error.message = `This job was started, but its status cannot be read any more: ${run.error.message} Follow it in the AFT! web UI.`;
          setState(run, 'status-unavailable');
          publish(run);
        }
      }
    },

    dispose(): void {
      follower.stopAll();
    },
  };
}
