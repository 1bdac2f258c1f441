// Foundation benchmark, against an in-process simulator on loopback:
// (a) what a launch costs over this client's warm keep-alive connection, against a fresh
//     `curl -sk` process doing the same POST (what a script following the vendor page does);
// (b) how late the job follower notices that a job ended, and how many status requests it
//     spends on it, for 2 s (real time), 30 s and 10 min jobs (virtual time).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createAftClient, type AftClient } from '../app/core/aft/client.ts';
import { createJobFollower, DEFAULT_POLL_POLICY } from '../app/core/aft/follower.ts';
import { systemClock, type Clock } from '../app/core/clock.ts';
import {
  startSimulator,
  type ScriptDefinition,
  type Simulator,
} from '../app/simulator/simulator.ts';
import { FakeClock, flushPromises } from '../test/helpers/fake-clock.ts';
import { pinnedEndpoint } from '../test/helpers/simulator.ts';

const LAUNCH_SAMPLES = 30;
/** Each job length is followed this many times: the follower's jitter makes one run noisy. */
const FOLLOW_REPEATS = 5;
const SCRIPT_NAME = 'My Backup Job';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const FOLLOWED_JOBS: { label: string; durationMs: number; virtual: boolean }[] = [
  { label: '2 s', durationMs: 2 * SECOND, virtual: false },
  { label: '30 s', durationMs: 30 * SECOND, virtual: true },
  { label: '10 min', durationMs: 10 * MINUTE, virtual: true },
];

const run = promisify(execFile);

/** Nearest-rank percentile of already sorted samples. */
function percentile(sorted: readonly number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index]!;
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}

async function timeEach(count: number, action: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    await action();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b);
}

async function curlAvailable(): Promise<boolean> {
  try {
    await run('curl', ['--version']);
    return true;
  } catch {
    return false;
  }
}

async function benchLaunch(simulator: Simulator, client: AftClient): Promise<string[]> {
  const endpoint = pinnedEndpoint(simulator);
  const target = { kind: 'scriptName', value: SCRIPT_NAME } as const;
  await client.launch(endpoint, target, {}); // opens the connection the timed launches reuse
  const connectionsBefore = simulator.stats().connections;
  const warm = await timeEach(LAUNCH_SAMPLES, () => client.launch(endpoint, target, {}));
  const connectionsOpened = simulator.stats().connections - connectionsBefore;

  const lines = [
    `launch latency: N=${LAUNCH_SAMPLES} each, sequential, loopback`,
    `  ${pad('method', 34)}${pad('median', 12)}${pad('p90', 12)}`,
    `  ${pad('warm keep-alive (this client)', 34)}${pad(ms(percentile(warm, 0.5)), 12)}${pad(ms(percentile(warm, 0.9)), 12)}(${connectionsOpened} new connections)`,
  ];
  if (!(await curlAvailable())) {
    lines.push('  fresh curl -sk process: skipped (curl not installed)');
    return lines;
  }
  // The vendor page's exact command. `-k` switches certificate checks off: acceptable here only,
  // against our own loopback simulator, because it is the vendor's baseline being measured.
  const curlArgs = [
    '-sk',
    '-X',
    'POST',
    `${simulator.url}/v1/jobs`,
    '-H',
    `X-API-Key: ${simulator.apiKey}`,
    '-H',
    'Content-Type: application/json',
    '-d',
    JSON.stringify({ scriptName: SCRIPT_NAME }),
  ];
  const curl = await timeEach(LAUNCH_SAMPLES, async () => {
    const { stdout } = await run('curl', curlArgs);
    if (!stdout.includes('"id"')) throw new Error(`curl got no job back: ${stdout.slice(0, 200)}`);
  });
  lines.push(
    `  ${pad('fresh `curl -sk` process', 34)}${pad(ms(percentile(curl, 0.5)), 12)}${pad(ms(percentile(curl, 0.9)), 12)}`,
    `  ratio curl / warm: ${(percentile(curl, 0.5) / percentile(warm, 0.5)).toFixed(1)}x (median), ` +
      `${(percentile(curl, 0.9) / percentile(warm, 0.9)).toFixed(1)}x (p90)`,
  );
  return lines;
}

interface FollowResult {
  lateMs: number;
  statusRequests: number;
}

/**
 * Launches one job and follows it to its end. With a FakeClock, each follower timer is fired
 * as soon as the previous status request has been answered, so virtual time jumps over the
 * waits while every status request is still a real HTTPS exchange with the simulator.
 */
async function followOneJob(
  simulator: Simulator,
  client: AftClient,
  clock: Clock,
  fakeClock: FakeClock | undefined,
  scriptName: string,
): Promise<FollowResult> {
  const endpoint = pinnedEndpoint(simulator);
  const launched = await client.launch(endpoint, { kind: 'scriptName', value: scriptName }, {});
  const requestsBefore = simulator.stats().statusRequests;
  let reading: Promise<unknown> | undefined;
  const follower = createJobFollower({
    clock,
    maxInFlight: 1,
    readStatus: () => {
      const answer = client.getJob(endpoint, launched.id);
      reading = answer.catch(() => undefined);
      return answer;
    },
  });
  const noticedAt = new Promise<number>((resolve, reject) => {
    follower.follow({ key: launched.id, knownState: launched.state }, (update) => {
      if (update.kind === 'ended') resolve(clock.now());
      if (update.kind === 'status-unavailable') reject(update.error);
    });
  });
  if (fakeClock) {
    let ended = false;
    void noticedAt.then(
      () => (ended = true),
      () => (ended = true),
    );
    while (!ended) {
      if (reading) {
        const answered = reading;
        reading = undefined;
        await answered;
      }
      // No timer yet means an answer is still being handled: let I/O run instead of spinning.
      if ((await fakeClock.runNext()) === undefined) await flushPromises();
    }
  }
  const noticed = await noticedAt;
  const endedAt = simulator.job(launched.id)?.endedAt;
  if (endedAt === undefined) throw new Error(`the simulator has no end time for ${launched.id}`);
  return {
    lateMs: noticed - Date.parse(endedAt),
    statusRequests: simulator.stats().statusRequests - requestsBefore,
  };
}

function scriptFor(label: string, durationMs: number): ScriptDefinition {
  return {
    name: `Bench ${label}`,
    id: `Bench${label.replace(/\W/g, '')}`.padEnd(22, '0'),
    durationMs,
    outcome: 'success',
  };
}

async function benchFollower(dataDir: string, client: AftClient): Promise<string[]> {
  const policy = DEFAULT_POLL_POLICY;
  const lines = [
    `follower: first poll after ${policy.initialDelayMs} ms, x${policy.factor} per poll up to ` +
      `${policy.maxDelayMs / 1000} s, ±${policy.jitter * 100}% jitter; ${FOLLOW_REPEATS} jobs each`,
    `  ${pad('job', 9)}${pad('clock', 9)}${pad('late: median', 15)}${pad('max', 10)}status requests (median)`,
  ];
  const scripts = FOLLOWED_JOBS.map((job) => scriptFor(job.label, job.durationMs));
  for (const [index, job] of FOLLOWED_JOBS.entries()) {
    const fakeClock = job.virtual ? new FakeClock(Date.now()) : undefined;
    const clock = fakeClock ?? systemClock;
    // The simulator derives job states from the same clock the follower waits on.
    const simulator = await startSimulator({ port: 0, dataDir, scripts, now: () => clock.now() });
    const results: FollowResult[] = [];
    try {
      for (let repeat = 0; repeat < FOLLOW_REPEATS; repeat += 1) {
        results.push(await followOneJob(simulator, client, clock, fakeClock, scripts[index]!.name));
      }
    } finally {
      await simulator.close();
    }
    const late = results.map((result) => result.lateMs).sort((a, b) => a - b);
    const requests = results.map((result) => result.statusRequests).sort((a, b) => a - b);
    lines.push(
      `  ${pad(job.label, 9)}${pad(job.virtual ? 'virtual' : 'real', 9)}` +
        `${pad(ms(percentile(late, 0.5)), 15)}${pad(ms(late.at(-1)!), 10)}${percentile(requests, 0.5)}`,
    );
  }
  return lines;
}

export async function benchFoundation(): Promise<string[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aft-bench-'));
  const client = createAftClient();
  try {
    const simulator = await startSimulator({ port: 0, dataDir });
    let launchLines: string[];
    try {
      launchLines = await benchLaunch(simulator, client);
    } finally {
      await simulator.close();
    }
    return [...launchLines, ...(await benchFollower(dataDir, client))];
  } finally {
    client.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
