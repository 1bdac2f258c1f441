// Follows started jobs by polling their status: fast at first (short jobs end quickly), then
// slower up to a cap (a 10-minute job costs ~50 requests, not 1200), back to fast whenever the
// state changes. A failed status read is never a failed job. Requests in flight across all
// followed jobs are bounded, and nothing (no timer) is held while nothing is followed.
import type { JobInfo, JobState } from '../../shared/job.ts';
import { isTerminal } from '../../shared/job.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import { AftError } from './errors.ts';

export interface FollowedJobRef {
  /** Identifies the followed job in this follower (e.g. the launcher's run ID). */
  key: string;
  /** The state already known (e.g. from the launch answer): a change from it resets the pace. */
  knownState?: JobState;
}

export type FollowUpdate =
  | { kind: 'status'; job: JobInfo }
  | { kind: 'ended'; job: JobInfo }
  | { kind: 'status-unavailable'; error: AftError }
  | { kind: 'transient-error'; error: AftError; attempt: number };

export interface PollPolicy {
  initialDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** Each delay is multiplied by a random factor in [1 - jitter, 1 + jitter], then capped. */
  jitter: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  initialDelayMs: 500,
  factor: 1.5,
  // A person watching a run should hear of its end within seconds; 5 s keeps a 10-minute job
  // at about 125 status requests.
  maxDelayMs: 5_000,
  jitter: 0.2,
};

export interface JobFollowerOptions<Ref extends FollowedJobRef> {
  readStatus: (ref: Ref) => Promise<JobInfo>;
  clock: Clock;
  random?: () => number;
  maxInFlight?: number;
  policy?: Partial<PollPolicy>;
}

export interface JobFollower<Ref extends FollowedJobRef> {
  /** Starts following; returns a function that stops. Following the same key again replaces it. */
  follow(ref: Ref, listener: (update: FollowUpdate) => void): () => void;
  stop(key: string): void;
  activeCount(): number;
  inFlight(): number;
  stopAll(): void;
}

interface Followed<Ref> {
  ref: Ref;
  listener: (update: FollowUpdate) => void;
  lastState: JobState | undefined;
  /** Polls since the state last changed: the exponent of the backoff. */
  pollsAtThisState: number;
  consecutiveFailures: number;
  timer?: TimerHandle;
  stopped: boolean;
}

export function createJobFollower<Ref extends FollowedJobRef>(
  options: JobFollowerOptions<Ref>,
): JobFollower<Ref> {
  const { clock, readStatus } = options;
  const random = options.random ?? Math.random;
  const maxInFlight = Math.max(1, options.maxInFlight ?? 4);
  const policy: PollPolicy = { ...DEFAULT_POLL_POLICY, ...options.policy };
  const followed = new Map<string, Followed<Ref>>();
  /** Jobs due for a status read, waiting for a free slot. */
  const due: Followed<Ref>[] = [];
  let inFlight = 0;

  function nextDelay(job: Followed<Ref>): number {
    const base = Math.min(
      policy.initialDelayMs * policy.factor ** job.pollsAtThisState,
      policy.maxDelayMs,
    );
    const jittered = base * (1 + (random() * 2 - 1) * policy.jitter);
    return Math.round(Math.min(jittered, policy.maxDelayMs));
  }

  function schedule(job: Followed<Ref>): void {
    job.timer = clock.setTimeout(() => {
      job.timer = undefined;
      due.push(job);
      pump();
    }, nextDelay(job));
  }

  function tell(job: Followed<Ref>, update: FollowUpdate): void {
    try {
      job.listener(update);
    } catch {
      // A listener's own failure must not stop the following of other jobs.
    }
  }

  function end(job: Followed<Ref>): void {
    job.stopped = true;
    if (job.timer !== undefined) clock.clearTimeout(job.timer);
    job.timer = undefined;
    if (followed.get(job.ref.key) === job) followed.delete(job.ref.key);
    const queued = due.indexOf(job);
    if (queued >= 0) due.splice(queued, 1);
  }

  function onStatus(job: Followed<Ref>, info: JobInfo): void {
    job.consecutiveFailures = 0;
    if (isTerminal(info.state)) {
      end(job);
      tell(job, { kind: 'ended', job: info });
      return;
    }
    if (info.state !== job.lastState) {
      job.lastState = info.state;
      job.pollsAtThisState = 0;
    } else {
      job.pollsAtThisState += 1;
    }
    tell(job, { kind: 'status', job: info });
    if (!job.stopped) schedule(job);
  }

  function onFailure(job: Followed<Ref>, caught: unknown): void {
    const error =
      caught instanceof AftError
        ? caught
        : new AftError({
            code: 'malformed',
            message: `The job's status could not be read (${String(caught)}). It will be read again.`,
            cause: caught,
          });
    if (error.code === 'status-unavailable') {
      end(job);
      tell(job, { kind: 'status-unavailable', error });
      return;
    }
    // Anything else (network, timeout, 5xx, malformed, even a certificate problem) says
    // nothing about the job: report it, slow down, and read again.
    job.consecutiveFailures += 1;
    job.pollsAtThisState += 1;
    tell(job, { kind: 'transient-error', error, attempt: job.consecutiveFailures });
    if (!job.stopped) schedule(job);
  }

  function pump(): void {
    while (inFlight < maxInFlight && due.length > 0) {
      const job = due.shift()!;
      if (job.stopped) continue;
      inFlight += 1;
      let reading: Promise<JobInfo>;
      try {
        reading = readStatus(job.ref);
      } catch (caught) {
        reading = Promise.reject(caught);
      }
      reading
        .then(
          (info) => {
            if (!job.stopped) onStatus(job, info);
          },
          (caught: unknown) => {
            if (!job.stopped) onFailure(job, caught);
          },
        )
        .finally(() => {
          inFlight -= 1;
          pump();
        });
    }
  }

  function stop(key: string): void {
    const job = followed.get(key);
    if (job) end(job);
  }

  return {
    follow(ref, listener) {
      stop(ref.key);
      const job: Followed<Ref> = {
        ref,
        listener,
        lastState: ref.knownState,
        pollsAtThisState: 0,
        consecutiveFailures: 0,
        stopped: false,
      };
      followed.set(ref.key, job);
      schedule(job);
      return () => {
        if (followed.get(ref.key) === job) end(job);
      };
    },
    stop,
    activeCount: () => followed.size,
    inFlight: () => inFlight,
    stopAll() {
      for (const job of [...followed.values()]) end(job);
    },
  };
}
