// Saved jobs: search as you type (fuzzy), favourites first, tags, arrow keys and Enter.
// The search box drives the list (a combobox over a listbox), so typing and choosing never
// need the mouse; the selected job's actions sit beside the list. Outside a search the person
// sets the order (Move up/down, Alt+arrows) within the favourites and within the rest.
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { SavedJob } from '../../../app/shared/model.ts';
import { aft, call, messageOf } from '../bridge.ts';
import { ConfirmDialog } from '../components/Dialog.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { ScreenHeader } from '../components/ScreenHeader.tsx';
import { VirtualList } from '../components/VirtualList.tsx';
import { filterJobs, searchTerms } from '../fuzzy.ts';
import { TARGET_LABELS } from '../format.ts';
import { useStore } from '../store.tsx';
import { ExportDialog, ImportDialog } from './JobsTransfer.tsx';

const ROW_HEIGHT = 56;

export function JobsScreen(props: { focusSearch: boolean }) {
  const store = useStore();
  const jobs = useMemo(() => store.jobs ?? [], [store.jobs]);
  const [query, setQuery] = useState('');
  const [tag, setTag] = useState<string | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<SavedJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [transfer, setTransfer] = useState<'export' | 'import' | null>(null);
  const [moveMessage, setMoveMessage] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (props.focusSearch) searchRef.current?.focus();
  }, [props.focusSearch]);

  const serverNames = useMemo(
    () => new Map((store.servers ?? []).map((server) => [server.id, server.name])),
    [store.servers],
  );
  const tags = useMemo(() => [...new Set(jobs.flatMap((job) => job.tags))].sort(), [jobs]);
  const visible = useMemo(
    () => filterJobs(jobs, query, tag, serverNames),
    [jobs, query, tag, serverNames],
  );
  const deferredVisible = useDeferredValue(visible);

  const activeIndex = Math.max(
    0,
    visible.findIndex((job) => job.id === activeId),
  );
  const active: SavedJob | undefined = visible[activeIndex];

  function move(delta: number) {
    if (visible.length === 0) return;
    const next = Math.min(visible.length - 1, Math.max(0, activeIndex + delta));
    setActiveId(visible[next]?.id ?? null);
  }

  /** The neighbour the active job would swap places with; none while searching or at an edge. */
  function moveNeighbour(delta: -1 | 1): SavedJob | undefined {
    if (!active || searchTerms(query).length > 0) return undefined;
    const neighbour = visible[activeIndex + delta];
    // Favourites always come first: a job moves within its own group.
    return neighbour && neighbour.favourite === active.favourite ? neighbour : undefined;
  }

  async function moveActive(delta: -1 | 1) {
    const neighbour = moveNeighbour(delta);
    if (!active || !neighbour) return;
    // The whole list in its shown order (a tag filter may hide some), with the job taken out and
    // put back just before (up) or after (down) the neighbour it passes.
    const ids = filterJobs(jobs, '', null, serverNames)
      .map((job) => job.id)
      .filter((id) => id !== active.id);
    ids.splice(ids.indexOf(neighbour.id) + (delta > 0 ? 1 : 0), 0, active.id);
    setError(null);
    setMoveMessage(
      `Moved “${active.name}” to position ${activeIndex + delta + 1} of ${visible.length}.`,
    );
    try {
      await store.reorderJobs(ids);
    } catch (caught) {
      setMoveMessage('');
      setError(`Could not save the new order: ${messageOf(caught)}`);
    }
  }

  function onKeyDown(event: React.KeyboardEvent) {
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      void moveActive(event.key === 'ArrowUp' ? -1 : 1);
      return;
    }
    const page = 8;
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(1),
      ArrowUp: () => move(-1),
      PageDown: () => move(page),
      PageUp: () => move(-page),
      Enter: () => active && store.go({ screen: 'run-form', jobId: active.id }),
    };
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    } else if (event.key === 'Escape' && query) {
      event.preventDefault();
      setQuery('');
    }
  }

  async function toggleFavourite(job: SavedJob) {
    setError(null);
    try {
      await call(aft().jobs.save({ ...stripSaved(job), favourite: !job.favourite }));
      await store.reloadJobs();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  async function duplicate(job: SavedJob) {
    setError(null);
    try {
      const copy = await call(aft().jobs.duplicate({ id: job.id }));
      await store.reloadJobs();
      setActiveId(copy.id);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  async function remove(job: SavedJob) {
    setError(null);
    try {
      await call(aft().jobs.delete({ id: job.id }));
      setConfirmDelete(null);
      await store.reloadJobs();
    } catch (caught) {
      setConfirmDelete(null);
      setError(messageOf(caught));
    }
  }

  const listId = 'job-list';
  const optionId = (job: SavedJob) => `job-option-${job.id}`;

  return (
    <div className="screen fill">
      <ScreenHeader title="Jobs">
        <button type="button" onClick={() => store.go({ screen: 'quick-run' })}>
          Quick run…
        </button>
        <button type="button" onClick={() => setTransfer('import')}>
          Import…
        </button>
        {jobs.length > 0 ? (
          <button type="button" onClick={() => setTransfer('export')}>
            Export…
          </button>
        ) : null}
        <button
          type="button"
          className="primary"
          onClick={() => store.go({ screen: 'job-editor' })}
        >
          New job
        </button>
      </ScreenHeader>

      {jobs.length === 0 ? (
        <div className="empty card">
          <strong>No saved jobs yet.</strong>
          <p>
            A saved job names a script on your AFT! server and the parameters it takes. Choose{' '}
            <em>New job</em> and enter the script&rsquo;s name as the AFT! web UI shows it.
          </p>
          <button
            type="button"
            className="primary"
            onClick={() => store.go({ screen: 'job-editor' })}
          >
            Create your first job
          </button>
          <p>
            Or bring jobs from another computer:{' '}
            <button type="button" className="link" onClick={() => setTransfer('import')}>
              Import jobs
            </button>
          </p>
        </div>
      ) : (
        <>
          <div className="row">
            <input
              ref={searchRef}
              type="search"
              className="grow"
              role="combobox"
              aria-label="Search jobs"
              aria-expanded="true"
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={active ? optionId(active) : undefined}
              placeholder="Search jobs by name, tag, script or server — arrows to choose, Enter to run"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              onKeyDown={onKeyDown}
            />
          </div>
          {tags.length > 0 ? (
            <div className="chips" role="group" aria-label="Filter by tag">
              {tags.map((name) => (
                <button
                  key={name}
                  type="button"
                  aria-pressed={tag === name}
                  onClick={() => setTag(tag === name ? null : name)}
                >
                  {name}
                </button>
              ))}
            </div>
          ) : null}
          <p className="visually-hidden" role="status" aria-live="polite">
            {deferredVisible.length} {deferredVisible.length === 1 ? 'job' : 'jobs'} shown
          </p>
          <p className="visually-hidden" role="status" aria-live="polite">
            {moveMessage}
          </p>
          <ErrorAlert message={error} />
          <div className="split">
            <div className="list-column">
              {visible.length === 0 ? (
                <div className="empty card">
                  <strong>
                    No job matches &ldquo;{query}&rdquo;{tag ? ` with the tag ${tag}` : ''}.
                  </strong>
                  <p>Try fewer letters, clear the search (Escape), or remove the tag filter.</p>
                  <div className="row">
                    <button
                      type="button"
                      onClick={() => {
                        setQuery('');
                        setTag(null);
                      }}
                    >
                      Show all jobs
                    </button>
                  </div>
                </div>
              ) : (
                <VirtualList
                  items={visible}
                  rowHeight={ROW_HEIGHT}
                  activeIndex={activeIndex}
                  getKey={(job) => job.id}
                  containerProps={{
                    id: listId,
                    role: 'listbox',
                    'aria-label': 'Saved jobs',
                    tabIndex: 0,
                    'aria-activedescendant': active ? optionId(active) : undefined,
                    onKeyDown,
                    'data-testid': 'job-list',
                  }}
                  renderRow={(job, index) => (
                    <div
                      id={optionId(job)}
                      role="option"
                      aria-selected={job === active}
                      aria-posinset={index + 1}
                      aria-setsize={visible.length}
                      className="list-row row-jobs"
                      onClick={() => setActiveId(job.id)}
                      onDoubleClick={() => store.go({ screen: 'run-form', jobId: job.id })}
                    >
                      <span className="star" aria-hidden="true">
                        {job.favourite ? '★' : ''}
                      </span>
                      <span className="stack">
                        <span className="title">
                          {job.name}
                          {job.favourite ? (
                            <span className="visually-hidden"> (favourite)</span>
                          ) : null}
                        </span>
                        <span className="sub">
                          {serverNames.get(job.serverId) ?? 'Removed server'} · {job.target.value}
                        </span>
                      </span>
                      {job.tags.slice(0, 3).map((name) => (
                        <span key={name} className="tag">
                          {name}
                        </span>
                      ))}
                    </div>
                  )}
                />
              )}
            </div>
            {active ? (
              <JobDetails
                job={active}
                serverName={serverNames.get(active.serverId) ?? 'Removed server'}
                onFavourite={() => toggleFavourite(active)}
                onDuplicate={() => duplicate(active)}
                onDelete={() => setConfirmDelete(active)}
                onMoveUp={moveNeighbour(-1) ? () => moveActive(-1) : undefined}
                onMoveDown={moveNeighbour(1) ? () => moveActive(1) : undefined}
                searching={searchTerms(query).length > 0}
              />
            ) : (
              <div />
            )}
          </div>
        </>
      )}
      {confirmDelete ? (
        <ConfirmDialog
          title={`Delete “${confirmDelete.name}”?`}
          description={
            <p>The saved job and its presets are removed. Its past runs stay in History.</p>
          }
          confirmLabel="Delete job"
          danger
          onConfirm={() => remove(confirmDelete)}
          onCancel={() => setConfirmDelete(null)}
        />
      ) : null}
      {transfer === 'export' ? (
        <ExportDialog jobCount={jobs.length} selected={active} onClose={() => setTransfer(null)} />
      ) : null}
      {transfer === 'import' ? <ImportDialog onClose={() => setTransfer(null)} /> : null}
    </div>
  );
}

/** The fields jobs.save accepts, from a saved job as the window holds it. */
export function stripSaved(job: SavedJob) {
  return {
    id: job.id,
    name: job.name,
    serverId: job.serverId,
    target: job.target,
    params: job.params,
    favourite: job.favourite,
    showInTray: job.showInTray,
    notify: job.notify,
    confirmBeforeRun: job.confirmBeforeRun,
    tags: job.tags,
    presets: job.presets,
  };
}

function JobDetails(props: {
  job: SavedJob;
  serverName: string;
  onFavourite: () => void;
  onDuplicate: () => void;
  onDelete: () => void;
  /** Absent when the job cannot move that way (an edge of its group, or a search is shown). */
  onMoveUp: (() => void) | undefined;
  onMoveDown: (() => void) | undefined;
  searching: boolean;
}) {
  const store = useStore();
  const { job } = props;
  return (
    <section
      className="card details"
      aria-label={`Selected job: ${job.name}`}
      data-testid="job-details"
    >
      <h2>{job.name}</h2>
      <dl>
        <dt>Server</dt>
        <dd>{props.serverName}</dd>
        <dt>{TARGET_LABELS[job.target.kind]}</dt>
        <dd className="mono">{job.target.value}</dd>
        <dt>Parameters</dt>
        <dd>
          {job.params.length === 0
            ? 'None'
            : job.params.map((param) => param.label || param.name).join(', ')}
        </dd>
        <dt>Tags</dt>
        <dd>{job.tags.length === 0 ? 'None' : job.tags.join(', ')}</dd>
        <dt>Options</dt>
        <dd>
          {[
            job.favourite ? 'Favourite' : null,
            job.showInTray ? 'In the tray menu' : null,
            job.confirmBeforeRun ? 'Asks before running' : null,
            `Notify: ${job.notify === 'failures' ? 'failures only' : job.notify}`,
          ]
            .filter(Boolean)
            .join(' · ')}
        </dd>
      </dl>
      <div className="row">
        <button
          type="button"
          className="primary"
          onClick={() => store.go({ screen: 'run-form', jobId: job.id })}
        >
          Run…
        </button>
        <button type="button" onClick={() => store.go({ screen: 'job-editor', jobId: job.id })}>
          Edit
        </button>
        <button type="button" onClick={props.onFavourite} aria-pressed={job.favourite}>
          Favourite
        </button>
        <button type="button" onClick={props.onDuplicate}>
          Duplicate
        </button>
        <button type="button" onClick={() => store.go({ screen: 'history', savedJobId: job.id })}>
          History
        </button>
        <button type="button" className="danger" onClick={props.onDelete}>
          Delete
        </button>
      </div>
      <div className="row move-row">
        <button
          type="button"
          onClick={props.onMoveUp}
          disabled={!props.onMoveUp}
          aria-keyshortcuts="Alt+ArrowUp"
        >
          Move up
        </button>
        <button
          type="button"
          onClick={props.onMoveDown}
          disabled={!props.onMoveDown}
          aria-keyshortcuts="Alt+ArrowDown"
        >
          Move down
        </button>
        <span className="muted small">
          {props.searching
            ? 'Clear the search to change the order.'
            : 'Or Alt+↑ and Alt+↓ in the list. Favourites stay first.'}
        </span>
      </div>
    </section>
  );
}
