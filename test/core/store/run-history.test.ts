import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentBackend } from '../../../app/core/ports.ts';
import { openDocumentStore } from '../../../app/core/store/document-store.ts';
import { createFileDocumentBackend } from '../../../app/core/store/file-document-backend.ts';
import { createRunHistory, historyDocumentSpec } from '../../../app/core/store/run-history.ts';
import type { Run, RunState } from '../../../app/shared/model.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';

let directory: string;
let clock: FakeClock;

beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'aft-history-'));
  clock = new FakeClock();
});
afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

function countingBackend(): DocumentBackend & { writes: number } {
  const inner = createFileDocumentBackend(path.join(directory, 'history.json'));
  const backend = {
    ...inner,
    writes: 0,
    write(document: unknown) {
      backend.writes += 1;
      inner.write(document);
    },
  };
  return backend;
}

function run(index: number, state: RunState = 'succeeded'): Run {
  const at = new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString();
  return {
    id: `run-${index}`,
    savedJobId: index % 2 === 0 ? 'even' : 'odd',
    jobName: 'Nightly backup',
    serverId: 's1',
    serverName: 'Local',
    target: { kind: 'scriptName', value: 'My Backup Job' },
    values: { destination: '/archive' },
    state,
    requestedAt: at,
    updatedAt: at,
    timeline: [{ state, at }],
  };
}

function openHistory(backend: DocumentBackend, limit = 5000) {
  const store = openDocumentStore(backend, historyDocumentSpec, { clock, writeDelayMs: 1000 });
  return { store, history: createRunHistory(store, () => limit) };
}

describe('run history', () => {
  it('keeps 5,000 runs, prunes the oldest finished ones, and writes them coalesced', async () => {
    const backend = countingBackend();
    const { store, history } = openHistory(backend);
    history.add(run(0, 'running'));
    for (let index = 1; index <= 5100; index += 1) history.add(run(index));
    expect(backend.writes).toBe(0);
    await clock.advance(1000);
    expect(backend.writes).toBe(1);

    expect(history.size()).toBe(5000);
    // The running run is the oldest but is never pruned; the oldest finished ones went.
    expect(history.get('run-0')?.state).toBe('running');
    expect(history.get('run-1')).toBeUndefined();
    expect(history.get('run-101')).toBeUndefined();
    expect(history.get('run-102')).toBeDefined();
    store.dispose();

    const reopened = openHistory(countingBackend()).history;
    expect(reopened.size()).toBe(5000);
    expect(reopened.active().map((r) => r.id)).toEqual(['run-0']);
  });

  it('writes pending changes on flush, and nothing when nothing changed', () => {
    const backend = countingBackend();
    const { store, history } = openHistory(backend);
    history.add(run(1));
    store.flush();
    expect(backend.writes).toBe(1);
    store.flush();
    expect(backend.writes).toBe(1);
    expect(clock.pendingTimerCount()).toBe(0);
  });

  it('answers queries newest first, filtered and paged', () => {
    const { history } = openHistory(countingBackend());
    for (let index = 0; index < 10; index += 1)
      history.add(run(index, index === 3 ? 'failed' : 'succeeded'));
    const page = history.query({ savedJobId: 'odd', offset: 1, limit: 2 });
    expect(page.total).toBe(5);
    expect(page.runs.map((r) => r.id)).toEqual(['run-7', 'run-5']);
    expect(history.query({ state: 'failed', offset: 0, limit: 10 }).runs.map((r) => r.id)).toEqual([
      'run-3',
    ]);
  });

  it('clears finished runs only, and applies a lowered cap', () => {
    const { history } = openHistory(countingBackend(), 3);
    history.add(run(1, 'queued'));
    for (let index = 2; index <= 6; index += 1) history.add(run(index));
    expect(history.query({ offset: 0, limit: 10 }).runs.map((r) => r.id)).toEqual([
      'run-6',
      'run-5',
      'run-1',
    ]);
    history.clear();
    expect(history.query({ offset: 0, limit: 10 }).runs.map((r) => r.id)).toEqual(['run-1']);
  });

  it('keeps retrying a background write that failed, and loses nothing', async () => {
    const inner = createFileDocumentBackend(path.join(directory, 'history.json'));
    let failing = true;
    const logged: string[] = [];
    const backend: DocumentBackend = {
      ...inner,
      write(document) {
        if (failing)
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        inner.write(document);
      },
    };
    const store = openDocumentStore(backend, historyDocumentSpec, {
      clock,
      writeDelayMs: 100,
      log: (message) => logged.push(message),
    });
    const history = createRunHistory(store, () => 5000);
    history.add(run(1));
    await clock.advance(100);
    expect(logged[0]).toContain('no space left');
    failing = false;
    await clock.advance(500);
    expect(JSON.parse(fs.readFileSync(inner.path, 'utf8')).runs).toHaveLength(1);
  });

  it('writes pending runs on dispose, and a run that changes afterwards at once', async () => {
    const backend = countingBackend();
    const { store, history } = openHistory(backend);
    const launching = run(1, 'launching');
    history.add(launching);
    store.dispose();
    expect(backend.writes).toBe(1);
    // The answer to a launch in flight at quit arrives after dispose: written, not lost.
    launching.state = 'queued';
    history.changed(launching);
    expect(backend.writes).toBe(2);
    expect(clock.pendingTimerCount()).toBe(0);
    expect(openHistory(countingBackend()).history.get('run-1')?.state).toBe('queued');
  });
});
