// `aft-launcher start`: pin the certificate if asked, launch the job, and with --wait follow it
// to its end. Everything it touches comes in as an argument, so it runs in-process in tests.
import type { JobInfo, JobTarget } from '../shared/job.ts';
import type { AftClient, ServerEndpoint } from '../core/aft/client.ts';
import { type AftError, certificateChangedError, isAftError } from '../core/aft/errors.ts';
import { createJobFollower, type FollowUpdate } from '../core/aft/follower.ts';
import { fingerprintsEqual } from '../core/aft/tls.ts';
import type { Clock } from '../core/clock.ts';
import type { StartOptions } from './args.ts';
import { EXIT_CODES, exitCodeForError, type ExitCode } from './exit-codes.ts';

export interface OutputStream {
  write(text: string): unknown;
}

export interface StartDependencies {
  client: Pick<AftClient, 'probeCertificate' | 'launch' | 'getJob'>;
  clock: Clock;
  stdout: OutputStream;
  stderr: OutputStream;
  /** Aborting it (Ctrl-C) stops a --wait; the job itself keeps running on the server. */
  signal?: AbortSignal;
}

/** What `fail` reports: an AftError, or one of the command's own reasons to stop. */
interface Failure {
  code: string;
  message: string;
  status?: number;
}

function describeTarget(target: JobTarget): string {
  switch (target.kind) {
    case 'scriptName':
      return target.value;
    case 'scriptId':
      return `script ID ${target.value}`;
    case 'filePath':
      return `file ${target.value}`;
  }
}

function describeEnd(job: JobInfo): string {
  const exitCode = job.exitCode === undefined ? '' : ` (exit code ${job.exitCode})`;
  return `Job ${job.id} ${job.state === 'succeeded' ? 'succeeded' : 'failed'}${exitCode}.`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

class Reporter {
  constructor(
    private readonly options: StartOptions,
    private readonly deps: StartDependencies,
  ) {}

  json(event: Record<string, unknown>): void {
    this.deps.stdout.write(`${JSON.stringify(event)}\n`);
  }

  /** A line for people on stdout; in --json mode stdout carries JSON only. */
  say(line: string): void {
    if (!this.options.json) this.deps.stdout.write(`${line}\n`);
  }

  warn(line: string): void {
    this.deps.stderr.write(`${line}\n`);
  }

  /** Reports a failure on stderr (and as a JSON line with --json); returns its exit code. */
  fail(error: Failure, exitCode: ExitCode, hint?: string, jobId?: string): ExitCode {
    this.warn(hint ? `${error.message}\n${hint}` : error.message);
    if (this.options.json) {
      this.json({
        event: 'error',
        code: error.code,
        message: error.message,
        ...(error.status === undefined ? {} : { status: error.status }),
        ...(jobId === undefined ? {} : { jobId }),
        exitCode,
      });
    }
    return exitCode;
  }
}

function untrustedCertificateHint(error: AftError): string | undefined {
  const fingerprint = error.details?.actualFingerprint;
  if (error.code !== 'tls-untrusted' || !fingerprint) return undefined;
  return (
    "If this is your AFT! server's own certificate, confirm this fingerprint with its " +
    `administrator, then run the command again with:\n  --fingerprint ${fingerprint}`
  );
}

/** With --fingerprint: probe (no key sent), compare, and pin exactly the certificate seen. */
async function endpointFor(
  options: StartOptions,
  client: StartDependencies['client'],
): Promise<ServerEndpoint> {
  const endpoint: ServerEndpoint = { baseUrl: options.baseUrl, apiKey: options.apiKey };
  if (options.fingerprint === undefined) return endpoint;
  const presented = await client.probeCertificate(options.baseUrl);
  if (!fingerprintsEqual(presented.fingerprint256, options.fingerprint)) {
    throw certificateChangedError({
      origin: options.baseUrl,
      expectedFingerprint: options.fingerprint,
      actualFingerprint: presented.fingerprint256,
    });
  }
  endpoint.pinnedCertificate = { pem: presented.pem, fingerprint256: presented.fingerprint256 };
  return endpoint;
}

function waitForEnd(
  options: StartOptions,
  deps: StartDependencies,
  endpoint: ServerEndpoint,
  launched: JobInfo,
  report: Reporter,
): Promise<ExitCode> {
  const { clock } = deps;
  const follower = createJobFollower({
    readStatus: () => deps.client.getJob(endpoint, launched.id),
    clock,
    maxInFlight: 1,
  });
  return new Promise((resolve) => {
    let lastState = launched.state;
    const finish = (exitCode: ExitCode): void => {
      if (deadline !== undefined) clock.clearTimeout(deadline);
      deps.signal?.removeEventListener('abort', onAbort);
      unfollow();
      resolve(exitCode);
    };
    const stopWaiting = (code: string, why: string): void => {
      const message =
        `${why}: job ${launched.id} was last seen ${lastState} and may still be running. ` +
        'Follow it in the AFT! web UI.';
      finish(report.fail({ code, message }, EXIT_CODES.outcomeUnknown, undefined, launched.id));
    };
    const onAbort = (): void => stopWaiting('interrupted', 'Stopped waiting (interrupted)');
    const onUpdate = (update: FollowUpdate): void => {
      switch (update.kind) {
        case 'status':
          if (update.job.state !== lastState) {
            lastState = update.job.state;
            report.say(`Job ${update.job.id} is ${update.job.state}.`);
          }
          return;
        case 'ended': {
          const exitCode = update.job.state === 'succeeded' ? EXIT_CODES.ok : EXIT_CODES.jobFailed;
          report.say(describeEnd(update.job));
          if (options.json) report.json({ event: 'ended', job: update.job, exitCode });
          finish(exitCode);
          return;
        }
        case 'status-unavailable':
          finish(report.fail(update.error, EXIT_CODES.outcomeUnknown, undefined, launched.id));
          return;
        case 'transient-error':
          report.warn(
            `Could not read the status of job ${launched.id} (attempt ${update.attempt}): ` +
              `${update.error.message}`,
          );
          return;
      }
    };
    const unfollow = follower.follow({ key: launched.id, knownState: launched.state }, onUpdate);
    const { timeoutMs } = options;
    const deadline =
      timeoutMs === undefined
        ? undefined
        : clock.setTimeout(
            () =>
              stopWaiting(
                'wait-timeout',
                `Stopped waiting after ${seconds(timeoutMs)} (--timeout)`,
              ),
            timeoutMs,
          );
    if (deps.signal?.aborted) onAbort();
    else deps.signal?.addEventListener('abort', onAbort);
  });
}

/** Runs `aft-launcher start`; resolves to the process's exit code. Never prints the API key. */
export async function runStart(options: StartOptions, deps: StartDependencies): Promise<ExitCode> {
  const report = new Reporter(options, deps);
  let endpoint: ServerEndpoint;
  let launched: JobInfo;
  try {
    endpoint = await endpointFor(options, deps.client);
    launched = await deps.client.launch(endpoint, options.target, options.params);
  } catch (error) {
    if (!isAftError(error)) throw error;
    return report.fail(error, exitCodeForError(error), untrustedCertificateHint(error));
  }

  report.say(
    `Started job ${launched.id} (${describeTarget(options.target)}) on ${options.baseUrl}`,
  );
  if (options.json) {
    report.json({
      event: 'started',
      server: options.baseUrl,
      target: options.target,
      job: launched,
    });
  }
  if (!options.wait) return EXIT_CODES.ok;
  return waitForEnd(options, deps, endpoint, launched, report);
}
