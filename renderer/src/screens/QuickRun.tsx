// Quick run: a script on a server, run without saving a job first, for someone who knows its
// name (or ID, or file path) and wants to try it. Parameters are free key/value rows sent as
// text; the exact JSON body is on view; the run then shows live like any other.
import { useMemo, useState } from 'react';
import type { FlatParams, JobTarget } from '../../../app/shared/job.ts';
import { aft, BridgeError, call, messageOf } from '../bridge.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Field } from '../components/Field.tsx';
import { ScreenHeader } from '../components/ScreenHeader.tsx';
import { ServerSelect, TargetFields } from '../components/TargetFields.tsx';
import { useStore } from '../store.tsx';

interface ParamRow {
  key: number;
  name: string;
  value: string;
}

let lastRowKey = 0;
function newRow(): ParamRow {
  return { key: ++lastRowKey, name: '', value: '' };
}

/** The params object the rows make, or a message per row that cannot be sent as it is. */
function paramsFrom(rows: readonly ParamRow[]): {
  params: FlatParams;
  errors: Map<number, string>;
} {
  const params: FlatParams = {};
  const errors = new Map<number, string>();
  for (const row of rows) {
    const name = row.name.trim();
    if (name === '') {
      if (row.value !== '') errors.set(row.key, 'Give this parameter a name, or remove it.');
      continue;
    }
    if (Object.hasOwn(params, name)) errors.set(row.key, `“${name}” is already used above.`);
    else params[name] = row.value;
  }
  return { params, errors };
}

export function QuickRunScreen() {
  const store = useStore();
  const servers = store.servers ?? [];
  const [serverId, setServerId] = useState(servers[0]?.id ?? '');
  const [target, setTarget] = useState<JobTarget>({ kind: 'scriptName', value: '' });
  const [rows, setRows] = useState<ParamRow[]>([]);
  const [targetError, setTargetError] = useState<string | undefined>();
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const { params, errors: rowErrors } = useMemo(() => paramsFrom(rows), [rows]);
  const body = useMemo(() => {
    const request: Record<string, unknown> = { [target.kind]: target.value.trim() };
    if (Object.keys(params).length > 0) request.params = params;
    return JSON.stringify(request, null, 2);
  }, [target, params]);
  const serverName = store.serverName(serverId);

  function updateRow(key: number, patch: Partial<ParamRow>) {
    setRows((previous) => previous.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  }
  function addRow() {
    const row = newRow();
    setRows((previous) => [...previous, row]);
    requestAnimationFrame(() => document.getElementById(`quick-param-${row.key}-name`)?.focus());
  }

  async function run(event: React.FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setError(null);
    setTargetError(undefined);
    const firstBadRow = rows.find((row) => rowErrors.has(row.key));
    if (firstBadRow) {
      document.getElementById(`quick-param-${firstBadRow.key}-name`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const result = await call(aft().runs.startAdHoc({ serverId, target, params }));
      if (result.ok) {
        store.rememberRun(result.run);
        store.go({ screen: 'run', runId: result.run.id });
        return;
      }
      setTargetError(result.fieldErrors['target.value']);
      setError(result.message);
    } catch (caught) {
      // A refused target is said once, on its field; anything else above the Run button.
      const fieldError = caught instanceof BridgeError ? caught.fields['target.value'] : undefined;
      if (fieldError) setTargetError(fieldError);
      else setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="screen narrow" onSubmit={run} noValidate aria-label="Quick run">
      <ScreenHeader title="Quick run" />
      <p className="muted">
        Run a script on a server without saving a job first. If it does what you want, save it as a
        job from the run&rsquo;s page.
      </p>
      <fieldset className="form-grid">
        <legend>What to run</legend>
        <ServerSelect
          servers={servers}
          value={serverId}
          onChange={setServerId}
          className="span-2"
        />
        <TargetFields
          target={target}
          onChange={(next) => {
            setTarget(next);
            if (next.value !== target.value) setTargetError(undefined);
          }}
          valueError={targetError}
          valueId="quick-target-value"
        />
      </fieldset>

      <fieldset className="screen">
        <legend>Parameters</legend>
        {rows.length === 0 ? (
          <p className="muted">
            None: the script is started without <code>params</code>. Add one for each{' '}
            <code>Param(&quot;name&quot;)</code> it reads; values are sent as text.
          </p>
        ) : null}
        {rows.map((row, index) => (
          <div
            className="row quick-param"
            key={row.key}
            role="group"
            aria-label={`Parameter ${index + 1}`}
          >
            <Field
              id={`quick-param-${row.key}-name`}
              label="Name"
              className="grow"
              error={submitted ? rowErrors.get(row.key) : undefined}
            >
              <input
                type="text"
                spellCheck={false}
                value={row.name}
                onChange={(event) => updateRow(row.key, { name: event.target.value })}
              />
            </Field>
            <Field label="Value" className="grow">
              <input
                type="text"
                value={row.value}
                onChange={(event) => updateRow(row.key, { value: event.target.value })}
              />
            </Field>
            <button
              type="button"
              className="danger"
              aria-label={`Remove parameter ${index + 1}${row.name ? ` (${row.name})` : ''}`}
              onClick={() =>
                setRows((previous) => previous.filter((other) => other.key !== row.key))
              }
            >
              Remove
            </button>
          </div>
        ))}
        <div className="row">
          <button type="button" onClick={addRow}>
            Add parameter
          </button>
        </div>
      </fieldset>

      <section aria-label="Request body">
        <h2>Request body</h2>
        <p className="small muted">
          Sent as <code>POST /v1/jobs</code> to {serverName}.
        </p>
        <pre data-testid="request-body">{body}</pre>
      </section>

      <ErrorAlert message={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy || serverId === ''}>
          Run
        </button>
        <button type="button" onClick={() => store.go({ screen: 'jobs' })}>
          Cancel
        </button>
      </div>
    </form>
  );
}
