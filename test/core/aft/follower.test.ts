import { describe, expect, it } from 'vitest';
import { AftError } from '../../../app/core/aft/errors.ts';
import type { FollowedJobRef, FollowUpdate } from '../../../app/core/aft/follower.ts';
import { createJobFollower } from '../../../app/core/aft/follower.ts';
import type { JobInfo, JobState } from '../../../app/shared/job.ts';
import { FakeClock, flushPromises } from '../../helpers/fake-clock.ts';

const job = (state: JobState, id = 'J1'): JobInfo => ({ id, state, raw: { id, state } });
const noJitter = () => 0.5;

function setup(
  readStatus: (ref: FollowedJobRef) => Promise<JobInfo>,
  extra: { random?: () => number; maxInFlight?: number } = {},
) {
  const clock = new FakeClock();
  const follower = createJobFollower({
    readStatus,
    clock,
    random: extra.random ?? noJitter,
    maxInFlight: extra.maxInFlight,
  });
  return { clock, follower };
}

describe('job follower pacing', () => {
  it('polls fast at first, backs off by the factor, and stays at the cap', async () => {
    const { clock, follower } = setup(async () => job('running'));
    follower.follow({ key: 'a', knownState: 'running' }, () => {});
    const delays: number[] = [];
    for (let i = 0; i < 12; i += 1) delays.push((await clock.runNext())!);
    expect(delays).toEqual([500, 750, 1125, 1688, 2531, 3797, 5000, 5000, 5000, 5000, 5000, 5000]);
    follower.stopAll();
  });

  it('keeps every jittered delay within ±20% and never above the cap', async () => {
    for (const random of [() => 0, () => 0.999999]) {
      const { clock, follower } = setup(async () => job('running'), { random });
      follower.follow({ key: 'a', knownState: 'running' }, () => {});
      const delays: number[] = [];
      for (let i = 0; i < 14; i += 1) delays.push((await clock.runNext())!);
      const low = random() < 0.5;
      expect(delays[0]).toBe(low ? 400 : 600);
      expect(delays[1]).toBe(low ? 600 : 900);
      for (const delay of delays) expect(delay).toBeLessThanOrEqual(5_000);
      expect(delays.at(-1)).toBe(low ? 4_000 : 5_000);
      follower.stopAll();
    }
  });

  it('goes back to fast polling when the state changes (queued -> running)', async () => {
    const states: JobState[] = ['queued', 'queued', 'queued', 'queued', 'running', 'running'];
    const { clock, follower } = setup(async () => job(states.shift() ?? 'running'));
    const seen: JobState[] = [];
    follower.follow({ key: 'a', knownState: 'queued' }, (update) => {
      if (update.kind === 'status') seen.push(update.job.state);
    });
    const delays: number[] = [];
    for (let i = 0; i < 7; i += 1) delays.push((await clock.runNext())!);
    // Polls 1-4 see "queued" (slowing down); poll 5 sees "running": the next wait is short again.
    expect(delays).toEqual([500, 750, 1125, 1688, 2531, 500, 750]);
    expect(seen.slice(0, 6)).toEqual([
      'queued',
      'queued',
      'queued',
      'queued',
      'running',
      'running',
    ]);
    follower.stopAll();
  });

  it('a 10-minute job costs about 125 status requests, not the 1,200 of fixed fast polling, and its end is noticed within the cap', async () => {
    let reads = 0;
    const clock = new FakeClock();
    const startedAt = clock.now();
    const endsAt = startedAt + 10 * 60_000;
    const follower = createJobFollower({
      clock,
      random: noJitter,
      readStatus: async () => {
        reads += 1;
        return job(clock.now() >= endsAt ? 'succeeded' : 'running');
      },
    });
    let endedAt: number | undefined;
    follower.follow({ key: 'long', knownState: 'running' }, (update) => {
      if (update.kind === 'ended') endedAt = clock.now();
    });
    while (endedAt === undefined) await clock.runNext();
    expect(reads).toBeGreaterThan(110);
    expect(reads).toBeLessThan(155);
    expect(endedAt - endsAt).toBeLessThanOrEqual(5_000);
  });
});

describe('job follower outcomes', () => {
  it('stops at a terminal state, tells the listener once, and holds no timer', async () => {
    const states: JobState[] = ['running', 'succeeded'];
    let reads = 0;
    const { clock, follower } = setup(async () => {
      reads += 1;
      return job(states.shift() ?? 'running');
    });
    const updates: FollowUpdate[] = [];
    expect(clock.pendingTimerCount()).toBe(0);
    follower.follow({ key: 'a' }, (update) => updates.push(update));
    expect(clock.pendingTimerCount()).toBe(1);
    await clock.advance(60_000);
    expect(updates.map((update) => update.kind)).toEqual(['status', 'ended']);
    expect(updates[1]).toMatchObject({ kind: 'ended', job: { state: 'succeeded' } });
    expect(reads).toBe(2);
    expect(follower.activeCount()).toBe(0);
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('retries transient failures with backoff and never calls the job failed', async () => {
    const answers: Array<() => Promise<JobInfo>> = [
      () => Promise.reject(new AftError({ code: 'unreachable', message: 'down' })),
      () => Promise.reject(new AftError({ code: 'timeout', message: 'slow' })),
      () => Promise.reject(new AftError({ code: 'server-error', message: '500', status: 500 })),
      () => Promise.reject(new AftError({ code: 'malformed', message: 'junk' })),
      () => Promise.resolve(job('running')),
      () => Promise.resolve(job('failed')),
    ];
    const { clock, follower } = setup(() => answers.shift()!());
    const updates: FollowUpdate[] = [];
    follower.follow({ key: 'a', knownState: 'running' }, (update) => updates.push(update));
    const delays: number[] = [];
    for (let i = 0; i < 6; i += 1) delays.push((await clock.runNext())!);
    expect(
      updates.map((u) => (u.kind === 'transient-error' ? `${u.kind}#${u.attempt}` : u.kind)),
    ).toEqual([
      'transient-error#1',
      'transient-error#2',
      'transient-error#3',
      'transient-error#4',
      'status',
      'ended',
    ]);
    expect(delays).toEqual([500, 750, 1125, 1688, 2531, 3797]);
    // The job's own failure comes only from its status, never from the failed reads.
    expect(updates.at(-1)).toMatchObject({ kind: 'ended', job: { state: 'failed' } });
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('reports status-unavailable and stops when the status endpoint refuses the key', async () => {
    let reads = 0;
    const { clock, follower } = setup(() => {
      reads += 1;
      return Promise.reject(
        new AftError({ code: 'status-unavailable', status: 403, message: 'no' }),
      );
    });
    const updates: FollowUpdate[] = [];
    follower.follow({ key: 'a' }, (update) => updates.push(update));
    await clock.advance(120_000);
    expect(reads).toBe(1);
    expect(updates).toEqual([
      { kind: 'status-unavailable', error: expect.objectContaining({ status: 403 }) },
    ]);
    expect(follower.activeCount()).toBe(0);
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('stop() and the returned function end following; nothing is held afterwards', async () => {
    let reads = 0;
    const { clock, follower } = setup(async () => {
      reads += 1;
      return job('running');
    });
    const stopA = follower.follow({ key: 'a' }, () => {});
    follower.follow({ key: 'b' }, () => {});
    follower.follow({ key: 'c' }, () => {});
    expect(follower.activeCount()).toBe(3);
    stopA();
    follower.stop('b');
    await clock.advance(500);
    expect(reads).toBe(1);
    follower.stopAll();
    expect(follower.activeCount()).toBe(0);
    expect(clock.pendingTimerCount()).toBe(0);
    await clock.advance(60_000);
    expect(reads).toBe(1);
  });

  it('following the same key again replaces the first follow', async () => {
    const { clock, follower } = setup(async () => job('running'));
    const first: FollowUpdate[] = [];
    const second: FollowUpdate[] = [];
    follower.follow({ key: 'a' }, (update) => first.push(update));
    follower.follow({ key: 'a' }, (update) => second.push(update));
    expect(clock.pendingTimerCount()).toBe(1);
    await clock.advance(500);
    expect(first).toHaveLength(0);
    expect(second).toHaveLength(1);
    follower.stopAll();
  });
});

describe('job follower bounds requests in flight', () => {
  it('never has more than maxInFlight status reads running across 20 jobs, and serves them all', async () => {
    const pending: Array<{ key: string; resolve: (info: JobInfo) => void }> = [];
    let maxSeen = 0;
    const { clock, follower } = setup(
      (ref) =>
        new Promise<JobInfo>((resolve) => {
          pending.push({ key: ref.key, resolve });
          maxSeen = Math.max(maxSeen, pending.length);
        }),
      { maxInFlight: 4 },
    );
    const ended = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      follower.follow({ key: `job-${i}` }, (update) => {
        if (update.kind === 'ended') ended.add(`job-${i}`);
      });
    }
    await clock.advance(500);
    expect(follower.inFlight()).toBe(4);
    expect(pending).toHaveLength(4);
    while (ended.size < 20) {
      const next = pending.shift();
      if (!next) {
        await clock.runNext();
        continue;
      }
      next.resolve(job('succeeded', next.key));
      await flushPromises();
      expect(follower.inFlight()).toBeLessThanOrEqual(4);
    }
    expect(maxSeen).toBe(4);
    expect(follower.inFlight()).toBe(0);
    expect(follower.activeCount()).toBe(0);
    expect(clock.pendingTimerCount()).toBe(0);
  });
});
