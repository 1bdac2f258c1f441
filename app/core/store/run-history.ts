// The run history: every run the person started, kept across restarts up to the cap from the
// settings (oldest finished runs pruned first; a run still going is never pruned, so it can be
// followed again after a restart). Run changes are frequent, so they are written coalesced.
import { z } from 'zod';
import {
  JobTargetSchema,
  ParamValuesSchema,
  RUN_STATES,
  type Run,
  type RunState,
} from '../../shared/model.ts';
import type { DocumentSpec } from './load-document.ts';
import type { DocumentStore } from './document-store.ts';

export const HISTORY_DOCUMENT_VERSION = 1;

const RunErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  status: z.number().optional(),
  serverMessage: z.string().optional(),
});

export const StoredRunSchema = z.object({
  id: z.string().min(1),
  savedJobId: z.string().optional(),
  jobName: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  target: JobTargetSchema,
  values: ParamValuesSchema,
  aftJobId: z.string().optional(),
  state: z.enum(RUN_STATES),
  serverState: z.string().optional(),
  requestedAt: z.string(),
  updatedAt: z.string(),
  endedAt: z.string().optional(),
  exitCode: z.number().optional(),
  lastJobInfo: z.unknown().optional(),
  error: RunErrorSchema.optional(),
  timeline: z.array(z.object({ state: z.enum(RUN_STATES), at: z.string() })),
}) satisfies z.ZodType<Run>;

export const HistoryDocumentSchema = z
  .object({
    schemaVersion: z.literal(HISTORY_DOCUMENT_VERSION),
    runs: z.array(StoredRunSchema),
  })
  .strict();
export type HistoryDocument = z.output<typeof HistoryDocumentSchema>;

export const historyDocumentSpec: DocumentSpec<HistoryDocument> = {
  title: 'run history',
  currentVersion: HISTORY_DOCUMENT_VERSION,
  migrations: {},
  schema: HistoryDocumentSchema,
  empty: () => ({ schemaVersion: HISTORY_DOCUMENT_VERSION, runs: [] }),
};

/** States in which the AFT! job may still be going and is followed. */
export const ACTIVE_RUN_STATES: readonly RunState[] = ['launching', 'queued', 'running', 'unknown'];

export function isActiveRun(run: Run): boolean {
  return ACTIVE_RUN_STATES.includes(run.state);
}

export interface HistoryQuery {
  savedJobId?: string;
  serverId?: string;
  state?: RunState;
  offset: number;
  limit: number;
}

export interface RunHistory {
  add(run: Run): void;
  /** Records that a run (an object held in the history) changed. */
  changed(run: Run): void;
  get(id: string): Run | undefined;
  active(): Run[];
  /** Newest first. */
  query(query: HistoryQuery): { runs: Run[]; total: number };
  /** Removes every finished run; runs still going stay. */
  clear(): void;
  /** Applies the cap now (after it was lowered). */
  prune(): void;
  size(): number;
}

export function createRunHistory(
  store: DocumentStore<HistoryDocument>,
  limit: () => number,
): RunHistory {
  const runs = store.document.runs;
  const byId = new Map<string, Run>(runs.map((run) => [run.id, run]));

  function prune(): boolean {
    const excess = runs.length - limit();
    if (excess <= 0) return false;
    let removed = 0;
    for (let index = 0; index < runs.length && removed < excess;) {
      const run = runs[index]!;
      if (isActiveRun(run)) {
        index += 1;
        continue;
      }
      runs.splice(index, 1);
      byId.delete(run.id);
      removed += 1;
    }
    return removed > 0;
  }

  return {
    add(run) {
      runs.push(run);
      byId.set(run.id, run);
      prune();
      store.saveSoon();
    },
    changed() {
      store.saveSoon();
    },
    get: (id) => byId.get(id),
    active: () => runs.filter(isActiveRun),
    query(query) {
      const matching: Run[] = [];
      for (let index = runs.length - 1; index >= 0; index -= 1) {
        const run = runs[index]!;
        if (query.savedJobId !== undefined && run.savedJobId !== query.savedJobId) continue;
        if (query.serverId !== undefined && run.serverId !== query.serverId) continue;
        if (query.state !== undefined && run.state !== query.state) continue;
        matching.push(run);
      }
      return {
        runs: matching.slice(query.offset, query.offset + query.limit),
        total: matching.length,
      };
    },
    clear() {
      const kept = runs.filter(isActiveRun);
      runs.splice(0, runs.length, ...kept);
      byId.clear();
      for (const run of kept) byId.set(run.id, run);
      store.save();
    },
    prune() {
      if (prune()) store.saveSoon();
    },
    size: () => runs.length,
  };
}
