// Past runs, newest first, filtered by job, server and state; read page by page as the person
// scrolls, so 5,000 runs cost no more than the ones on screen. Enter opens a run.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Run, RunState } from '../../../app/shared/model.ts';
import { aft, call, messageOf } from '../bridge.ts';
import { ConfirmDialog } from '../components/Dialog.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Field } from '../components/Field.tsx';
import { ScreenHeader } from '../components/ScreenHeader.tsx';
import { VirtualList } from '../components/VirtualList.tsx';
import {
  elapsedMs,
  formatDuration,
  formatTime,
  isActive,
  RUN_STATES_LISTED,
  stateLabel,
} from '../format.ts';
import { rerunAndShow, useStore } from '../store.tsx';

const ROW_HEIGHT = 48;
const PAGE = 200;

interface Filter {
  savedJobId?: string;
  serverId?: string;
  state?: RunState;
}

export function HistoryScreen(props: { initialJobId?: string }) {
  const store = useStore();
  const [filter, setFilter] = useState<Filter>({ savedJobId: props.initialJobId });
  const [runs, setRuns] = useState<Run[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmClear, setConfirmClear] = useState(false);
  const loading = useRef(false);
  const loaded = useRef(0);

  const load = useCallback(
    (offset: number, limit: number) => {
      loading.current = true;
      call(aft().runs.history({ ...filter, offset, limit }))
        .then(
          (page) => {
            setTotal(page.total);
            setRuns((previous) => {
              const next = offset === 0 ? page.runs : [...previous.slice(0, offset), ...page.runs];
              loaded.current = next.length;
              return next;
            });
          },
          (caught: unknown) => setError(messageOf(caught)),
        )
        .finally(() => {
          loading.current = false;
        });
    },
    [filter],
  );

  // A new filter, or a change in history (a run added or changed, history cleared): read again
  // what is loaded, at most every 300 ms while runs are busy.
  useEffect(() => {
    const timer = setTimeout(
      () => load(0, Math.min(1000, Math.max(PAGE, loaded.current))),
      loaded.current === 0 ? 0 : 300,
    );
    return () => clearTimeout(timer);
  }, [load, store.historyVersion]);

  const onVisibleRange = useCallback(
    (_start: number, end: number) => {
      if (
        !loading.current &&
        total !== null &&
        end >= loaded.current - 20 &&
        loaded.current < total
      ) {
        load(loaded.current, PAGE);
      }
    },
    [load, total],
  );

  // Live state from events for runs already listed.
  const shown = useMemo(() => runs.map((run) => store.runs.get(run.id) ?? run), [runs, store.runs]);
  const activeIndex = Math.max(
    0,
    shown.findIndex((run) => run.id === activeId),
  );
  const active = shown[activeIndex];

  function move(delta: number) {
    const next = Math.min(shown.length - 1, Math.max(0, activeIndex + delta));
    setActiveId(shown[next]?.id ?? null);
  }
  function onKeyDown(event: React.KeyboardEvent) {
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(1),
      ArrowUp: () => move(-1),
      PageDown: () => move(8),
      PageUp: () => move(-8),
      Home: () => move(-shown.length),
      End: () => move(shown.length),
      Enter: () => active && store.go({ screen: 'run', runId: active.id }),
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  }

  async function rerun(run: Run) {
    setError(null);
    setError(await rerunAndShow(store, run.id));
  }

  async function clear() {
    setConfirmClear(false);
    try {
      await call(aft().runs.clearHistory({}));
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  const jobs = store.jobs ?? [];
  const servers = store.servers ?? [];
  const filtered = filter.savedJobId || filter.serverId || filter.state;
  const optionId = (run: Run) => `run-option-${run.id}`;

  return (
    <div className="screen fill">
      <ScreenHeader title="History">
        <button
          type="button"
          className="danger"
          disabled={shown.length === 0}
          onClick={() => setConfirmClear(true)}
        >
          Clear history
        </button>
      </ScreenHeader>
      <div className="row" role="group" aria-label="Filter runs">
        <Field label="Job" className="grow">
          <select
            value={filter.savedJobId ?? ''}
            onChange={(event) =>
              setFilter({ ...filter, savedJobId: event.target.value || undefined })
            }
          >
            <option value="">All jobs</option>
            {jobs.map((job) => (
              <option key={job.id} value={job.id}>
                {job.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Server" className="grow">
          <select
            value={filter.serverId ?? ''}
            onChange={(event) =>
              setFilter({ ...filter, serverId: event.target.value || undefined })
            }
          >
            <option value="">All servers</option>
            {servers.map((server) => (
              <option key={server.id} value={server.id}>
                {server.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="State" className="grow">
          <select
            value={filter.state ?? ''}
            onChange={(event) =>
              setFilter({
                ...filter,
                state: (event.target.value || undefined) as RunState | undefined,
              })
            }
          >
            <option value="">Any state</option>
            {RUN_STATES_LISTED.map((state) => (
              <option key={state} value={state}>
                {stateLabel(state)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <p className="muted small" role="status" data-testid="history-count">
        {total === null
          ? 'Loading…'
          : `${total} ${total === 1 ? 'run' : 'runs'}${filtered ? ' match the filter' : ''}`}
      </p>
      <ErrorAlert message={error} />
      {total === 0 ? (
        <div className="empty card">
          <strong>{filtered ? 'No run matches this filter.' : 'No runs yet.'}</strong>
          <p>
            {filtered
              ? 'Choose “All” in the filters above to see every run.'
              : 'Runs appear here when you run a job from the Jobs screen or the tray.'}
          </p>
        </div>
      ) : (
        <div className="split">
          <div className="list-column">
            <VirtualList
              items={shown}
              rowHeight={ROW_HEIGHT}
              activeIndex={activeIndex}
              getKey={(run) => run.id}
              onVisibleRange={onVisibleRange}
              containerProps={{
                role: 'listbox',
                'aria-label': 'Runs, newest first',
                tabIndex: 0,
                'aria-activedescendant': active ? optionId(active) : undefined,
                onKeyDown,
                'data-testid': 'run-list',
              }}
              renderRow={(run, index) => (
                <div
                  id={optionId(run)}
                  role="option"
                  aria-selected={run === active}
                  aria-posinset={index + 1}
                  aria-setsize={total ?? shown.length}
                  className="list-row row-runs"
                  onClick={() => setActiveId(run.id)}
                  onDoubleClick={() => store.go({ screen: 'run', runId: run.id })}
                >
                  <span className={`badge state-${run.state}`}>{stateLabel(run.state)}</span>
                  <span className="stack">
                    <span className="title">
                      {run.jobName}
                      {run.savedJobId === undefined ? (
                        <span className="muted small"> (ad-hoc)</span>
                      ) : null}
                    </span>
                    <span className="sub">
                      {run.serverName} · {formatTime(run.requestedAt)}
                      {isActive(run)
                        ? ''
                        : ` · ${formatDuration(elapsedMs(run, Date.parse(run.updatedAt)))}`}
                      {run.exitCode !== undefined ? ` · exit ${run.exitCode}` : ''}
                    </span>
                  </span>
                </div>
              )}
            />
          </div>
          {active ? (
            <section className="card details" aria-label="Selected run" data-testid="run-summary">
              <h2>{active.jobName}</h2>
              <dl>
                <dt>State</dt>
                <dd>{stateLabel(active.state)}</dd>
                {active.savedJobId === undefined ? (
                  <>
                    <dt>Job</dt>
                    <dd>Ad-hoc run (not a saved job)</dd>
                  </>
                ) : null}
                <dt>Server</dt>
                <dd>{active.serverName}</dd>
                <dt>Requested</dt>
                <dd>{formatTime(active.requestedAt)}</dd>
                <dt>Values</dt>
                <dd>
                  {Object.keys(active.values).length === 0 ? (
                    'None'
                  ) : (
                    <code>{JSON.stringify(active.values)}</code>
                  )}
                </dd>
                {active.error ? (
                  <>
                    <dt>Error</dt>
                    <dd>{active.error.message}</dd>
                  </>
                ) : null}
              </dl>
              <div className="row">
                <button
                  type="button"
                  className="primary"
                  onClick={() => store.go({ screen: 'run', runId: active.id })}
                >
                  Open run
                </button>
                <button type="button" onClick={() => void rerun(active)}>
                  Re-run
                </button>
              </div>
            </section>
          ) : (
            <div />
          )}
        </div>
      )}
      {confirmClear ? (
        <ConfirmDialog
          title="Clear the whole history?"
          description={
            <p>
              Every past run is removed. Runs still going are followed to the end and recorded
              again.
            </p>
          }
          confirmLabel="Clear history"
          danger
          onConfirm={() => void clear()}
          onCancel={() => setConfirmClear(false)}
        />
      ) : null}
    </div>
  );
}
