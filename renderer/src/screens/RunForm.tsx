// The run form: one typed input per parameter definition, prefilled from a preset, the
// last-used values or the defaults; checked with the shared validator as the person types, so
// nothing invalid is ever sent; the exact JSON body on view; confirmation when the job asks.
import { useMemo, useState } from 'react';
import type {
  ParamDefinition,
  ParamValue,
  ParamValues,
  SavedJob,
} from '../../../app/shared/model.ts';
import { initialValues, paramLabel, validateParams } from '../../../app/shared/params.ts';
import { aft, call, copyFailedMessage, copyText, messageOf } from '../bridge.ts';
import { ConfirmDialog, Dialog } from '../components/Dialog.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Check, Field } from '../components/Field.tsx';
import { ScreenHeader } from '../components/ScreenHeader.tsx';
import { TextPromptDialog } from '../components/TextPromptDialog.tsx';
import { TARGET_LABELS } from '../format.ts';
import { useStore } from '../store.tsx';

type CommandFormat = 'curl' | 'powershell' | 'aft';

/** How a secret value appears in the body on screen (the real value is sent). */
const SECRET_SHOWN_AS = '(secret, not shown)';

export function RunFormScreen(props: { jobId: string; linkValues?: Record<string, string> }) {
  const store = useStore();
  const job = store.jobs?.find((candidate) => candidate.id === props.jobId);
  if (store.jobs === null) return <p className="muted">Loading…</p>;
  if (!job) {
    return (
      <div className="screen narrow">
        <ScreenHeader title="Job not found" />
        <ErrorAlert message="This saved job no longer exists. It may have been deleted in another window or by an import." />
        <div className="row">
          <button type="button" onClick={() => store.go({ screen: 'jobs' })}>
            Back to jobs
          </button>
        </div>
      </div>
    );
  }
  return <RunForm job={job} linkValues={props.linkValues} />;
}

function RunForm(props: { job: SavedJob; linkValues?: Record<string, string> }) {
  const { job } = props;
  const store = useStore();
  const [presetName, setPresetName] = useState('');
  const [values, setValues] = useState<ParamValues>(() => ({
    ...initialValues(job.params, job.lastValues),
    // A link's values win, but only for parameters the job defines.
    ...Object.fromEntries(
      Object.entries(props.linkValues ?? {}).filter(([name]) =>
        job.params.some((param) => param.name === name),
      ),
    ),
  }));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [savingPreset, setSavingPreset] = useState(false);
  const [command, setCommand] = useState<{ format: CommandFormat; text: string } | null>(null);

  const validation = useMemo(
    () => validateParams(job.params, values, { savedSecretParams: job.savedSecretParams }),
    [job.params, job.savedSecretParams, values],
  );
  const fieldErrors: Record<string, string> = validation.ok ? {} : validation.fieldErrors;
  const shownError = (name: string) =>
    serverErrors[name] ?? (submitted || touched.has(name) ? fieldErrors[name] : undefined);

  const body = useMemo(() => {
    if (!validation.ok) return null;
    const params = { ...validation.params };
    for (const param of job.params) {
      if (param.type !== 'secret') continue;
      if (params[param.name] !== undefined || job.savedSecretParams.includes(param.name))
        params[param.name] = SECRET_SHOWN_AS;
    }
    const request: Record<string, unknown> = { [job.target.kind]: job.target.value };
    if (Object.keys(params).length > 0) request.params = params;
    return JSON.stringify(request, null, 2);
  }, [validation, job]);

  const serverName = store.serverName(job.serverId);

  function setValue(name: string, value: ParamValue) {
    setValues((previous) => ({ ...previous, [name]: value }));
    setServerErrors((previous) => {
      if (!(name in previous)) return previous;
      const next = { ...previous };
      delete next[name];
      return next;
    });
  }
  function touch(name: string) {
    setTouched((previous) => (previous.has(name) ? previous : new Set(previous).add(name)));
  }

  function choosePreset(name: string) {
    setPresetName(name);
    const preset = job.presets.find((candidate) => candidate.name === name);
    setValues(initialValues(job.params, job.lastValues, preset));
  }

  function requestRun(event: React.FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setError(null);
    if (!validation.ok) {
      const first = job.params.find((param) => fieldErrors[param.name]);
      if (first) document.getElementById(inputId(first))?.focus();
      return;
    }
    if (job.confirmBeforeRun) setConfirming(true);
    else void run();
  }

  async function run() {
    setBusy(true);
    try {
      const result = await call(aft().runs.start({ jobId: job.id, values }));
      if (result.ok) {
        store.rememberRun(result.run);
        store.go({ screen: 'run', runId: result.run.id });
      } else {
        setConfirming(false);
        setServerErrors(result.fieldErrors);
        setError(result.message);
      }
    } catch (caught) {
      setConfirming(false);
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  async function showCommand(format: CommandFormat) {
    setError(null);
    try {
      const { text } = await call(
        aft().jobs.copyAsCommand({
          id: job.id,
          values: withoutSecrets(job, values),
          format,
          includeKey: false,
        }),
      );
      setCommand({ format, text });
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  return (
    <div className="screen narrow">
      <form className="screen" onSubmit={requestRun} noValidate aria-label={`Run ${job.name}`}>
        <ScreenHeader title={`Run “${job.name}”`}>
          <button type="button" onClick={() => store.go({ screen: 'job-editor', jobId: job.id })}>
            Edit job
          </button>
        </ScreenHeader>
        <p className="muted">
          On <strong>{serverName}</strong> · {TARGET_LABELS[job.target.kind]}{' '}
          <code>{job.target.value}</code>
        </p>
        {props.linkValues ? (
          <div className="alert info" role="status">
            <p>
              Values were filled in from a link. Check them before you run the job: nothing runs
              until you choose Run.
            </p>
          </div>
        ) : null}

        {job.presets.length > 0 || job.params.length > 0 ? (
          <div className="row">
            {job.presets.length > 0 ? (
              <Field label="Preset" className="grow">
                <select value={presetName} onChange={(event) => choosePreset(event.target.value)}>
                  <option value="">Last used values and defaults</option>
                  {job.presets.map((preset) => (
                    <option key={preset.name} value={preset.name}>
                      {preset.name}
                    </option>
                  ))}
                </select>
              </Field>
            ) : null}
            {job.params.length > 0 ? (
              <button type="button" className="link" onClick={() => setSavingPreset(true)}>
                Save these values as a preset
              </button>
            ) : null}
            {presetName ? (
              <button
                type="button"
                className="link"
                onClick={() => void deletePreset(job, presetName, setPresetName, setError)}
              >
                Delete preset “{presetName}”
              </button>
            ) : null}
          </div>
        ) : null}

        {job.params.length === 0 ? (
          <p>This job takes no parameters.</p>
        ) : (
          <fieldset className="form-grid">
            <legend>Parameters</legend>
            {job.params.map((param) => (
              <ParamInput
                key={param.name}
                param={param}
                value={values[param.name]}
                error={shownError(param.name)}
                hasSavedSecret={job.savedSecretParams.includes(param.name)}
                onChange={(value) => setValue(param.name, value)}
                onBlur={() => touch(param.name)}
              />
            ))}
          </fieldset>
        )}

        <section aria-label="Request body">
          <h2>Request body</h2>
          {body ? (
            <>
              <p className="small muted">
                Sent as <code>POST /v1/jobs</code> to {serverName}
                {job.params.some((param) => param.type === 'secret')
                  ? '; secret values are hidden here.'
                  : '.'}
              </p>
              <pre data-testid="request-body">{body}</pre>
            </>
          ) : (
            <p className="muted" role="status">
              Fix the highlighted values to see the exact body that will be sent.
            </p>
          )}
        </section>

        <ErrorAlert message={error} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            Run
          </button>
          <button type="button" onClick={() => store.go({ screen: 'jobs' })}>
            Cancel
          </button>
          <span className="grow" />
          <span className="muted small">Copy as command:</span>
          <button type="button" onClick={() => void showCommand('curl')}>
            curl
          </button>
          <button type="button" onClick={() => void showCommand('powershell')}>
            PowerShell
          </button>
          <button type="button" onClick={() => void showCommand('aft')}>
            aft start
          </button>
        </div>
      </form>

      {confirming ? (
        <ConfirmDialog
          title={`Run “${job.name}” now?`}
          description={
            <p>
              This job asks for confirmation. It starts on <strong>{serverName}</strong> with this
              body:
            </p>
          }
          confirmLabel="Run now"
          busy={busy}
          onConfirm={() => void run()}
          onCancel={() => setConfirming(false)}
        >
          <pre>{body}</pre>
        </ConfirmDialog>
      ) : null}
      {savingPreset ? (
        <TextPromptDialog
          title="Save as a preset"
          description={<p>The current values, except secrets, are saved under this name.</p>}
          label="Preset name"
          emptyMessage="Give the preset a name."
          submitLabel="Save preset"
          onSubmit={async (name) => {
            await call(
              aft().jobs.savePreset({
                id: job.id,
                preset: { name, values: withoutSecrets(job, values) },
              }),
            );
            setSavingPreset(false);
            setPresetName(name);
          }}
          onClose={() => setSavingPreset(false)}
        />
      ) : null}
      {command ? (
        <CommandDialog
          command={command.text}
          onCopyWithKey={() =>
            // The typed values go as they are: main fills in saved secrets and adds the key.
            call(
              aft().jobs.copyAsCommand({
                id: job.id,
                values,
                format: command.format,
                includeKey: true,
              }),
            )
          }
          onClose={() => setCommand(null)}
        />
      ) : null}
    </div>
  );
}

async function deletePreset(
  job: SavedJob,
  name: string,
  setPresetName: (name: string) => void,
  setError: (message: string) => void,
) {
  try {
    await call(aft().jobs.deletePreset({ id: job.id, name }));
    setPresetName('');
  } catch (caught) {
    setError(messageOf(caught));
  }
}

/** Presets and commands never carry secret values. */
function withoutSecrets(job: SavedJob, values: ParamValues): ParamValues {
  const secretNames = new Set(
    job.params.filter((param) => param.type === 'secret').map((param) => param.name),
  );
  return Object.fromEntries(Object.entries(values).filter(([name]) => !secretNames.has(name)));
}

function inputId(param: ParamDefinition): string {
  return `param-input-${param.name}`;
}

function ParamInput(props: {
  param: ParamDefinition;
  value: ParamValue | undefined;
  error?: string;
  hasSavedSecret: boolean;
  onChange: (value: ParamValue) => void;
  onBlur: () => void;
}) {
  const { param, value } = props;
  const id = inputId(param);
  const label = `${paramLabel(param)}${param.required ? ' (required)' : ''}`;
  const hintParts = [param.description];
  if (param.type === 'number' && (param.min !== undefined || param.max !== undefined))
    hintParts.push(`From ${param.min ?? 'any'} to ${param.max ?? 'any'}.`);
  if (param.type === 'secret')
    hintParts.push(
      props.hasSavedSecret
        ? 'A saved value exists: leave empty to use it again.'
        : 'Stored encrypted after the run; never shown again.',
    );
  if (param.pattern && param.type !== 'secret') hintParts.push(`Format: ${param.pattern}`);
  const hint = hintParts.filter(Boolean).join(' ') || undefined;
  const text = value === undefined ? '' : String(value);
  const common = { id, onBlur: props.onBlur };

  if (param.type === 'boolean') {
    return (
      <Check
        {...common}
        label={paramLabel(param)}
        hint={hint}
        checked={value === true || value === 'true'}
        onChange={props.onChange}
      />
    );
  }

  const control = (() => {
    switch (param.type) {
      case 'multiline':
        return (
          <textarea
            {...common}
            value={text}
            onChange={(event) => props.onChange(event.target.value)}
          />
        );
      case 'choice':
        return (
          <select {...common} value={text} onChange={(event) => props.onChange(event.target.value)}>
            <option value="">{param.required ? 'Choose…' : 'None'}</option>
            {(param.allowedValues ?? []).map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
        );
      case 'number':
        return (
          <input
            {...common}
            type="number"
            inputMode="decimal"
            min={param.min}
            max={param.max}
            value={text}
            onChange={(event) => props.onChange(event.target.value)}
          />
        );
      case 'secret':
        return (
          <input
            {...common}
            type="password"
            autoComplete="off"
            value={text}
            onChange={(event) => props.onChange(event.target.value)}
          />
        );
      case 'date':
        return (
          <input
            {...common}
            type="date"
            value={text}
            onChange={(event) => props.onChange(event.target.value)}
          />
        );
      default:
        return (
          <input
            {...common}
            type="text"
            spellCheck={param.type === 'text'}
            value={text}
            onChange={(event) => props.onChange(event.target.value)}
          />
        );
    }
  })();

  return (
    <Field
      id={id}
      label={label}
      hint={hint}
      error={props.error}
      className={param.type === 'multiline' ? 'span-2' : ''}
    >
      {control}
    </Field>
  );
}

function CommandDialog(props: {
  command: string;
  /** Main puts the real command on the clipboard; only the placeholder version comes back. */
  onCopyWithKey: () => Promise<unknown>;
  onClose: () => void;
}) {
  const [copyMessage, setCopyMessage] = useState('');
  function report(copying: Promise<unknown>, done: string) {
    setCopyMessage('');
    copying.then(
      () => setCopyMessage(done),
      (caught: unknown) => setCopyMessage(copyFailedMessage(caught)),
    );
  }
  return (
    <Dialog
      title="Command"
      onClose={props.onClose}
      description={
        <p>
          The API key and any secret values are placeholders here: put your own in before running
          it, or choose “Copy with my API key”.
        </p>
      }
    >
      <pre data-testid="command-text">{props.command}</pre>
      <div className="row end">
        <span role="status" className="muted small">
          {copyMessage}
        </span>
        <button type="button" onClick={() => report(copyText(props.command), 'Copied.')}>
          Copy
        </button>
        <button
          type="button"
          onClick={() =>
            report(
              props.onCopyWithKey(),
              'Copied with your API key and secret values. Paste it only where it is safe.',
            )
          }
        >
          Copy with my API key
        </button>
        <button type="button" className="primary" data-autofocus onClick={props.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
