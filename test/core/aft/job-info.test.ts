import { describe, expect, it } from 'vitest';
import { normaliseJobState, parseJobInfo } from '../../../app/core/aft/job-info.ts';

describe('parseJobInfo: the job ID under every plausible name', () => {
  it.each([
    [{ id: 'j1' }],
    [{ jobId: 'j1' }],
    [{ job_id: 'j1' }],
    [{ jobID: 'j1' }],
    [{ ID: 'j1' }],
    [{ JobId: 'j1' }],
    [{ job: { id: 'j1' } }],
    [{ data: { jobId: 'j1' } }],
    [{ result: { job_id: 'j1' } }],
    [{ data: { job: { ID: 'j1' } } }],
    [{ id: '  j1  ' }],
  ])('%j', (raw) => {
    expect(parseJobInfo(raw)?.id).toBe('j1');
  });

  it('accepts a numeric ID as text', () => {
    expect(parseJobInfo({ id: 42 })?.id).toBe('42');
  });

  it('prefers the top-level ID over a nested one', () => {
    expect(parseJobInfo({ id: 'outer', job: { id: 'inner' } })?.id).toBe('outer');
  });

  it.each([
    [null],
    ['j1'],
    [[{ id: 'j1' }]],
    [{}],
    [{ id: '' }],
    [{ id: true }],
    [{ status: 'running' }],
  ])('finds no job in %j', (raw) => {
    expect(parseJobInfo(raw)).toBeNull();
  });

  it('uses a known ID when a status answer does not repeat it', () => {
    expect(parseJobInfo({ status: 'running' }, 'known')).toMatchObject({
      id: 'known',
      state: 'running',
    });
  });

  it('keeps the raw object for display', () => {
    const raw = { job: { id: 'j1', status: 'Running', extra: [1, 2] } };
    expect(parseJobInfo(raw)?.raw).toBe(raw);
  });
});

describe('parseJobInfo: state names normalised', () => {
  it.each([
    ['queued', 'queued'],
    ['PENDING', 'queued'],
    ['Waiting', 'queued'],
    ['scheduled', 'queued'],
    ['running', 'running'],
    ['Started', 'running'],
    ['in_progress', 'running'],
    ['In Progress', 'running'],
    ['in-progress', 'running'],
    ['ACTIVE', 'running'],
    ['executing', 'running'],
    ['completed', 'succeeded'],
    ['Success', 'succeeded'],
    ['succeeded', 'succeeded'],
    ['DONE', 'succeeded'],
    ['finished', 'succeeded'],
    ['ok', 'succeeded'],
    ['failed', 'failed'],
    ['Error', 'failed'],
    ['errored', 'failed'],
    ['ABORTED', 'failed'],
    ['cancelled', 'failed'],
    ['canceled', 'failed'],
    ['killed', 'failed'],
    ['timeout', 'failed'],
    ['hibernating', 'unknown'],
    ['', 'unknown'],
  ])('%s -> %s', (serverState, expected) => {
    expect(parseJobInfo({ id: 'j', status: serverState })?.state).toBe(expected);
    expect(normaliseJobState(serverState)).toBe(expected);
  });

  it('reads `state` as well as `status`, in any letter case of the key', () => {
    expect(parseJobInfo({ id: 'j', state: 'running' })?.state).toBe('running');
    expect(parseJobInfo({ id: 'j', State: 'failed' })?.state).toBe('failed');
    expect(parseJobInfo({ id: 'j', STATUS: 'queued' })?.state).toBe('queued');
  });

  it('reads a state nested under job/data and an object-valued status', () => {
    expect(parseJobInfo({ data: { id: 'j', state: 'running' } })?.state).toBe('running');
    expect(parseJobInfo({ id: 'j', status: { state: 'completed' } })?.state).toBe('succeeded');
  });

  it('keeps the server wording of the state', () => {
    expect(parseJobInfo({ id: 'j', status: 'In Progress' })?.serverState).toBe('In Progress');
  });

  it('no state at all is unknown', () => {
    expect(parseJobInfo({ id: 'j' })).toMatchObject({ state: 'unknown' });
  });
});

describe('parseJobInfo: exit codes and timestamps', () => {
  it.each([
    [{ exitCode: 3 }, 3],
    [{ exit_code: 3 }, 3],
    [{ code: 3 }, 3],
    [{ exitStatus: 3 }, 3],
    [{ exitCode: '3' }, 3],
    [{ job: { exitCode: -1 } }, -1],
  ])('exit code in %j', (fields, expected) => {
    expect(parseJobInfo({ id: 'j', ...fields })?.exitCode).toBe(expected);
  });

  it('ignores a non-numeric code', () => {
    expect(parseJobInfo({ id: 'j', code: 'E_FAIL' })?.exitCode).toBeUndefined();
  });

  it('a success state with a non-zero exit code is a failure', () => {
    expect(parseJobInfo({ id: 'j', status: 'completed', exitCode: 2 })?.state).toBe('failed');
    expect(parseJobInfo({ id: 'j', status: 'completed', exitCode: 0 })?.state).toBe('succeeded');
  });

  it('a known non-terminal state is not overridden by an exit code', () => {
    expect(parseJobInfo({ id: 'j', status: 'running', exitCode: 0 })?.state).toBe('running');
  });

  it('an exit code with no known state decides only when there is an end time', () => {
    const end = { endedAt: '2026-01-01T00:00:05Z' };
    expect(parseJobInfo({ id: 'j', exitCode: 0, ...end })?.state).toBe('succeeded');
    expect(parseJobInfo({ id: 'j', exitCode: 1, ...end })?.state).toBe('failed');
    expect(parseJobInfo({ id: 'j', status: 'weird', exitCode: 1, ...end })?.state).toBe('failed');
    expect(parseJobInfo({ id: 'j', exitCode: 1 })?.state).toBe('unknown');
    // Go serialises a zero exit code for a job that has not finished: proves nothing alone.
    expect(parseJobInfo({ id: 'j', exitCode: 0 })?.state).toBe('unknown');
  });

  it.each([
    [{ startedAt: 'S', endedAt: 'E' }],
    [{ started_at: 'S', ended_at: 'E' }],
    [{ startTime: 'S', endTime: 'E' }],
    [{ start_time: 'S', finishedAt: 'E' }],
    [{ started: 'S', completedAt: 'E' }],
    [{ job: { startedAt: 'S', finished_at: 'E' } }],
  ])('timestamps in %j', (fields) => {
    expect(parseJobInfo({ id: 'j', ...fields })).toMatchObject({ startedAt: 'S', endedAt: 'E' });
  });

  it('turns epoch seconds and milliseconds into ISO text', () => {
    const iso = '2026-01-01T00:00:00.000Z';
    const ms = Date.parse(iso);
    expect(parseJobInfo({ id: 'j', startedAt: ms / 1000, endedAt: ms })).toMatchObject({
      startedAt: iso,
      endedAt: iso,
    });
  });
});
