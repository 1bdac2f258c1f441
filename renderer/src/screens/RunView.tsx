// One run, live: its state, the time it has taken so far, the timeline of state changes, the
// exit code and the server's raw job info; on trouble, the specific message and what to do next.
import { useEffect, useState } from 'react';
import type { Run } from '../../../app/shared/model.ts';
import { aft, call, messageOf } from '../bridge.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { ScreenHeader } from '../components/ScreenHeader.tsx';
import {
  elapsedMs,
  formatDuration,
  formatTime,
  isActive,
  stateLabel,
  TARGET_LABELS,
} from '../format.ts';
import { useNow } from '../hooks.ts';
import { rerunAndShow, useStore } from '../store.tsx';

export function RunScreen(props: { runId: string }) {
  const store = useStore();
  const run = store.runs.get(props.runId);
  const [loadError, setLoadError] = useState<string | null>(null);
  const { rememberRun } = store;

  useEffect(() => {
    // The event stream may have started before this window: read the run once, then follow events.
    call(aft().runs.get({ id: props.runId })).then(rememberRun, (error: unknown) =>
      setLoadError(messageOf(error)),
    );
  }, [props.runId, rememberRun]);

  if (!run) {
    return (
      <div className="screen narrow">
        <ScreenHeader title="Run" />
        {loadError ? <ErrorAlert message={loadError} /> : <p className="muted">Loading…</p>}
      </div>
    );
  }
  return <RunDetails run={run} />;
}

function RunDetails(props: { run: Run }) {
  const { run } = props;
  const store = useStore();
  const active = isActive(run);
  const now = useNow(active);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const adHoc = run.savedJobId === undefined;
  const jobExists = !adHoc && (store.jobs ?? []).some((job) => job.id === run.savedJobId);

  async function rerun() {
    setBusy(true);
    setError(null);
    setError(await rerunAndShow(store, run.id));
    setBusy(false);
  }

  async function openWebUi() {
    setError(null);
    try {
      await call(aft().servers.openWebUi({ id: run.serverId }));
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  const advice = adviceFor(run);

  return (
    <div className="screen narrow">
      <ScreenHeader title={`Run of “${run.jobName}”`}>
        <button type="button" onClick={() => store.go({ screen: 'history' })}>
          History
        </button>
      </ScreenHeader>

      <section className="card row" aria-label="Status">
        <div className="grow">
          <div className="muted small">State</div>
          <span
            className={`badge state-${run.state}`}
            role="status"
            aria-live="polite"
            data-testid="run-state"
          >
            {stateLabel(run.state)}
          </span>
          {run.serverState && run.serverState.toLowerCase() !== run.state ? (
            <span className="muted small"> (server says “{run.serverState}”)</span>
          ) : null}
        </div>
        <div>
          <div className="muted small">{active ? 'Elapsed' : 'Took'}</div>
          <div className="elapsed" data-testid="run-elapsed">
            {formatDuration(elapsedMs(run, now))}
          </div>
        </div>
        <div>
          <div className="muted small">Exit code</div>
          <div className="elapsed" data-testid="run-exit-code">
            {run.exitCode ?? '—'}
          </div>
        </div>
      </section>

      {run.error || advice ? (
        <div
          className={`alert ${run.state === 'uncertain' || run.state === 'status-unavailable' ? 'warning' : 'error'}`}
          role="alert"
          data-testid="run-error"
        >
          {run.error ? (
            <p>
              <strong>{run.error.message}</strong>
              {run.error.status && !run.error.message.includes(`HTTP ${run.error.status}`) ? (
                <> (HTTP {run.error.status})</>
              ) : null}
            </p>
          ) : null}
          {run.error?.serverMessage && !run.error.message.includes(run.error.serverMessage) ? (
            <p>
              The server said: <q>{run.error.serverMessage}</q>
            </p>
          ) : null}
          {/* The client's messages already say what to do next; advice speaks when there is none. */}
          {advice && !run.error ? <p>{advice.text}</p> : null}
          {advice?.webUi || advice?.settings ? (
            <div className="row">
              {advice.webUi ? (
                <button type="button" onClick={() => void openWebUi()}>
                  Open the AFT! web UI
                </button>
              ) : null}
              {advice.settings ? (
                <button type="button" onClick={() => store.go({ screen: 'settings' })}>
                  Open server settings
                </button>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : null}

      <section className="card details" aria-label="Details">
        <dl>
          <dt>Job</dt>
          <dd>{adHoc ? 'Ad-hoc run (not a saved job)' : run.jobName}</dd>
          <dt>Server</dt>
          <dd>{run.serverName}</dd>
          <dt>{TARGET_LABELS[run.target.kind]}</dt>
          <dd className="mono">{run.target.value}</dd>
          <dt>AFT! job ID</dt>
          <dd className="mono" data-testid="run-job-id">
            {run.aftJobId ?? '—'}
          </dd>
          <dt>Requested</dt>
          <dd>{formatTime(run.requestedAt)}</dd>
          <dt>Ended</dt>
          <dd>{formatTime(run.endedAt)}</dd>
          <dt>Values sent</dt>
          <dd>
            {Object.keys(run.values).length === 0 ? (
              'None'
            ) : (
              <code>{JSON.stringify(run.values)}</code>
            )}
          </dd>
        </dl>
        <div className="row">
          <button
            type="button"
            className="primary"
            onClick={() => void rerun()}
            disabled={busy || (!adHoc && !jobExists)}
          >
            Run again with the same values
          </button>
          {jobExists && run.savedJobId ? (
            <button
              type="button"
              onClick={() => store.go({ screen: 'run-form', jobId: run.savedJobId as string })}
            >
              Open the run form
            </button>
          ) : null}
          {adHoc ? (
            <button
              type="button"
              onClick={() =>
                store.go({
                  screen: 'job-editor',
                  template: { serverId: run.serverId, target: run.target, values: run.values },
                })
              }
            >
              Save as job…
            </button>
          ) : null}
          <button type="button" onClick={() => void openWebUi()}>
            Open the AFT! web UI
          </button>
        </div>
        {!adHoc && !jobExists ? (
          <p className="small muted">
            The saved job was deleted: this run cannot be repeated from here.
          </p>
        ) : null}
        <ErrorAlert message={error} />
      </section>

      <section className="card" aria-label="Timeline">
        <h2>Timeline</h2>
        <ol className="timeline" data-testid="run-timeline">
          {run.timeline.map((entry, index) => (
            <li key={index}>
              <strong>{stateLabel(entry.state)}</strong>{' '}
              <span className="muted small">{formatTime(entry.at)}</span>
            </li>
          ))}
        </ol>
      </section>

      <section className="card" aria-label="Raw job info">
        <h2>Job info from the server</h2>
        {run.lastJobInfo === undefined ? (
          <p className="muted">The server has not sent any job info for this run.</p>
        ) : (
          <pre tabIndex={0} aria-label="Raw job info JSON" data-testid="run-raw">
            {JSON.stringify(run.lastJobInfo, null, 2)}
          </pre>
        )}
      </section>
    </div>
  );
}

interface Advice {
  text: string;
  webUi?: boolean;
  settings?: boolean;
}

/** What the person can do next, for the states and errors that need them to act. */
function adviceFor(run: Run): Advice | null {
  if (run.state === 'uncertain') {
    return {
      text: 'The request may have reached the server, so the job may be running. It was not sent again. Check the AFT! web UI before you run it again.',
      webUi: true,
    };
  }
  if (run.state === 'status-unavailable') {
    return {
      text: 'The job was started, but this API key is not allowed to read its status. Follow it in the AFT! web UI.',
      webUi: true,
    };
  }
  if (run.state === 'failed') {
    return {
      text:
        run.exitCode !== undefined
          ? `The script ended with exit code ${run.exitCode}. Its log is in the AFT! web UI.`
          : 'The job failed on the server. Its log is in the AFT! web UI.',
      webUi: true,
    };
  }
  if (run.state !== 'not-started' || !run.error) return null;
  const code = run.error.code;
  if (code === 'auth')
    return {
      text: "Check the API key in Settings > Servers, and that the key's allow-list in the AFT! web UI (Settings > API Keys) includes this computer's IP address.",
      settings: true,
    };
  if (code.startsWith('tls'))
    return {
      text: "The server's certificate is not the one you trusted. If it was replaced on purpose, re-pin it in Settings > Servers; otherwise ask the server's administrator.",
      settings: true,
    };
  if (code === 'unreachable' || code === 'timeout')
    return {
      text: 'Check that the AFT! server is running and reachable from this computer, then run again.',
      settings: true,
    };
  if (code === 'script-not-found')
    return {
      text: 'Check the script name in the job (Edit job) against the AFT! web UI.',
      webUi: true,
    };
  return null;
}
