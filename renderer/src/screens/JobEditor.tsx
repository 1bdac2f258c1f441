// Create or edit a saved job: its target on the server, its parameter definitions (typed, with
// defaults, allowed values and limits, in the order the run form shows them) and its options.
import { useMemo, useState } from 'react';
import type {
  NotificationRule,
  ParamDefinition,
  ParamType,
  ParamValue,
  SavedJobInput,
} from '../../../app/shared/model.ts';
import { validateDefinitions } from '../../../app/shared/params.ts';
import { aft, BridgeError, call, messageOf } from '../bridge.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Check, Field } from '../components/Field.tsx';
import { ScreenHeader } from '../components/ScreenHeader.tsx';
import { ServerSelect, TargetFields } from '../components/TargetFields.tsx';
import { useStore, type JobTemplate } from '../store.tsx';
import { stripSaved } from './Jobs.tsx';

const TYPE_LABELS: Record<ParamType, string> = {
  text: 'Text',
  multiline: 'Multi-line text',
  number: 'Number',
  boolean: 'Yes / no',
  choice: 'Choice from a list',
  secret: 'Secret (stored encrypted, never shown)',
  path: 'Path',
  date: 'Date',
};
const NOTIFY_LABELS: Record<NotificationRule, string> = {
  always: 'When a run ends',
  failures: 'Only when a run fails',
  never: 'Never',
};

let lastParamKey = 0;
function newParamKey(): number {
  return ++lastParamKey;
}

/** A definition being edited, with a stable key for React while it moves around. */
interface DraftParam extends ParamDefinition {
  key: number;
}

/** A new job's parameters from a template's values: text parameters, each value its default. */
function templateParams(template: JobTemplate | undefined): DraftParam[] {
  return Object.entries(template?.values ?? {}).map(([name, value]) => ({
    key: newParamKey(),
    name,
    type: 'text',
    required: false,
    default: String(value),
  }));
}

export function JobEditorScreen(props: { jobId?: string; template?: JobTemplate }) {
  const store = useStore();
  const existing = useMemo(
    () => store.jobs?.find((job) => job.id === props.jobId),
    // Only the job as it was when the editor opened: later saves come back through this screen.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [props.jobId],
  );
  const servers = store.servers ?? [];
  const [draft, setDraft] = useState<Omit<SavedJobInput, 'params'>>(() =>
    existing
      ? stripSaved(existing)
      : {
          name: props.template?.target.value ?? '',
          serverId: props.template?.serverId ?? servers[0]?.id ?? '',
          target: props.template ? { ...props.template.target } : { kind: 'scriptName', value: '' },
          favourite: false,
          showInTray: false,
          notify: 'always',
          confirmBeforeRun: false,
          tags: [],
          presets: [],
        },
  );
  const [params, setParams] = useState<DraftParam[]>(() =>
    existing
      ? existing.params.map((param) => ({ ...param, key: newParamKey() }))
      : templateParams(props.template),
  );
  const [tagsText, setTagsText] = useState((existing?.tags ?? []).join(', '));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  function update(patch: Partial<typeof draft>) {
    setDraft((previous) => ({ ...previous, ...patch }));
  }
  function updateParam(key: number, patch: Partial<ParamDefinition>) {
    setParams((previous) =>
      previous.map((param) => (param.key === key ? { ...param, ...patch } : param)),
    );
  }
  function moveParam(index: number, delta: number) {
    setParams((previous) => {
      const next = [...previous];
      const [moved] = next.splice(index, 1);
      if (moved) next.splice(index + delta, 0, moved);
      return next;
    });
  }
  function addParam() {
    const key = newParamKey();
    setParams((previous) => [...previous, { key, name: '', type: 'text', required: false }]);
    // Focus the new definition's name once it is on screen.
    requestAnimationFrame(() => document.getElementById(`param-${key}-name`)?.focus());
  }

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    setErrors({});
    setSaving(true);
    const definitions = params.map(({ key: _key, ...param }) => cleanDefinition(param));
    const input: SavedJobInput = {
      ...draft,
      tags: tagsText
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
      params: definitions,
    };
    const checked = validateDefinitions(definitions);
    if (!checked.ok) {
      setErrors(checked.fieldErrors);
      setError('Some parameter definitions need fixing: see the messages below.');
      setSaving(false);
      return;
    }
    try {
      await call(aft().jobs.save(input));
      await store.reloadJobs();
      store.go({ screen: 'jobs' });
    } catch (caught) {
      setError(messageOf(caught));
      if (caught instanceof BridgeError) setErrors(caught.fields);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="screen narrow" onSubmit={save} noValidate aria-label="Job editor">
      <ScreenHeader title={existing ? `Edit “${existing.name}”` : 'New job'} />
      <fieldset className="form-grid">
        <legend>The job</legend>
        <Field label="Name" error={errors.name}>
          <input
            type="text"
            value={draft.name}
            onChange={(event) => update({ name: event.target.value })}
          />
        </Field>
        <ServerSelect
          servers={servers}
          value={draft.serverId}
          onChange={(serverId) => update({ serverId })}
          error={errors.serverId}
        />
        <TargetFields
          target={draft.target}
          onChange={(target) => update({ target })}
          kindError={errors['target.kind']}
          valueError={errors['target.value'] ?? errors.target}
        />
        <Field
          className="span-2"
          label="Tags"
          hint="Separated by commas, e.g. nightly, backups."
          error={errors.tags}
        >
          <input
            type="text"
            value={tagsText}
            onChange={(event) => setTagsText(event.target.value)}
          />
        </Field>
      </fieldset>

      <fieldset className="screen">
        <legend>Parameters</legend>
        {params.length === 0 ? (
          <p className="muted">
            No parameters: the job is started without <code>params</code>. Add one for each{' '}
            <code>Param(&quot;name&quot;)</code> the script reads.
          </p>
        ) : null}
        {params.map((param, index) => (
          <ParamEditor
            key={param.key}
            param={param}
            index={index}
            count={params.length}
            errors={errors}
            onChange={(patch) => updateParam(param.key, patch)}
            onMove={(delta) => moveParam(index, delta)}
            onRemove={() =>
              setParams((previous) => previous.filter((other) => other.key !== param.key))
            }
          />
        ))}
        <div className="row">
          <button type="button" onClick={addParam}>
            Add parameter
          </button>
        </div>
      </fieldset>

      <fieldset className="form-grid">
        <legend>Options</legend>
        <Check
          label="Favourite (listed first, and in the tray)"
          checked={draft.favourite ?? false}
          onChange={(favourite) => update({ favourite })}
        />
        <Check
          label="Show in the tray menu"
          checked={draft.showInTray ?? false}
          onChange={(showInTray) => update({ showInTray })}
        />
        <Check
          label="Ask for confirmation before running"
          checked={draft.confirmBeforeRun ?? false}
          onChange={(confirmBeforeRun) => update({ confirmBeforeRun })}
        />
        <Field label="Notify me">
          <select
            value={draft.notify}
            onChange={(event) => update({ notify: event.target.value as NotificationRule })}
          >
            {(Object.keys(NOTIFY_LABELS) as NotificationRule[]).map((rule) => (
              <option key={rule} value={rule}>
                {NOTIFY_LABELS[rule]}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>

      <ErrorAlert message={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={saving}>
          Save job
        </button>
        <button type="button" onClick={() => store.go({ screen: 'jobs' })}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Drops the fields that do not apply to the definition's type, and empty optional ones. */
function cleanDefinition(param: ParamDefinition): ParamDefinition {
  const clean: ParamDefinition = { name: param.name, type: param.type, required: param.required };
  if (param.label) clean.label = param.label;
  if (param.description) clean.description = param.description;
  if (param.default !== undefined && param.default !== '') clean.default = param.default;
  if (param.type === 'choice') clean.allowedValues = param.allowedValues ?? [];
  if (param.pattern && ['text', 'multiline', 'path', 'secret'].includes(param.type))
    clean.pattern = param.pattern;
  if (param.type === 'number') {
    if (param.min !== undefined) clean.min = param.min;
    if (param.max !== undefined) clean.max = param.max;
  }
  return clean;
}

function numberOrUndefined(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function ParamEditor(props: {
  param: DraftParam;
  index: number;
  count: number;
  errors: Record<string, string>;
  onChange: (patch: Partial<ParamDefinition>) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}) {
  const { param, index, onChange } = props;
  const error = (field: string) => props.errors[`params.${index}.${field}`];
  const title = param.label || param.name || `Parameter ${index + 1}`;
  const allowedText = (param.allowedValues ?? []).join('\n');

  return (
    <section className="card param-def" aria-label={`Parameter ${index + 1}: ${title}`}>
      <div className="row">
        <h3 className="grow">
          {index + 1}. {title}
        </h3>
        <button
          type="button"
          className="icon"
          aria-label={`Move ${title} up`}
          disabled={index === 0}
          onClick={() => props.onMove(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          className="icon"
          aria-label={`Move ${title} down`}
          disabled={index === props.count - 1}
          onClick={() => props.onMove(1)}
        >
          ↓
        </button>
        <button
          type="button"
          className="icon danger"
          aria-label={`Remove ${title}`}
          onClick={props.onRemove}
        >
          Remove
        </button>
      </div>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`param-${param.key}-name`}>Name (sent in params)</label>
          <input
            id={`param-${param.key}-name`}
            type="text"
            spellCheck={false}
            value={param.name}
            aria-invalid={error('name') ? true : undefined}
            aria-describedby={error('name') ? `param-${param.key}-name-error` : undefined}
            onChange={(event) => onChange({ name: event.target.value })}
          />
          {error('name') ? (
            <span id={`param-${param.key}-name-error`} className="error" role="alert">
              {error('name')}
            </span>
          ) : null}
        </div>
        <Field label="Label (shown in the form)" error={error('label')}>
          <input
            type="text"
            value={param.label ?? ''}
            onChange={(event) => onChange({ label: event.target.value })}
          />
        </Field>
        <Field label="Type" error={error('type')}>
          <select
            value={param.type}
            onChange={(event) =>
              onChange({ type: event.target.value as ParamType, default: undefined })
            }
          >
            {(Object.keys(TYPE_LABELS) as ParamType[]).map((type) => (
              <option key={type} value={type}>
                {TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        </Field>
        {param.type === 'secret' ? (
          <p className="small muted">
            Secrets have no default: the value entered is stored encrypted.
          </p>
        ) : (
          <DefaultInput
            param={param}
            error={error('default')}
            onChange={(value) => onChange({ default: value })}
          />
        )}
        {param.type === 'choice' ? (
          <Field
            label="Allowed values"
            hint="One per line: the choices the run form offers."
            error={error('allowedValues')}
          >
            <textarea
              value={allowedText}
              onChange={(event) =>
                onChange({
                  allowedValues: event.target.value
                    .split('\n')
                    .map((value) => value.trim())
                    .filter(Boolean),
                })
              }
            />
          </Field>
        ) : null}
        {['text', 'multiline', 'path', 'secret'].includes(param.type) ? (
          <Field
            label="Pattern"
            hint="A regular expression the value must match; empty for none."
            error={error('pattern')}
          >
            <input
              type="text"
              spellCheck={false}
              value={param.pattern ?? ''}
              onChange={(event) => onChange({ pattern: event.target.value || undefined })}
            />
          </Field>
        ) : null}
        {param.type === 'number' ? (
          <>
            <Field label="Minimum" error={error('min')}>
              <input
                type="number"
                value={param.min ?? ''}
                onChange={(event) => onChange({ min: numberOrUndefined(event.target.value) })}
              />
            </Field>
            <Field label="Maximum" error={error('max')}>
              <input
                type="number"
                value={param.max ?? ''}
                onChange={(event) => onChange({ max: numberOrUndefined(event.target.value) })}
              />
            </Field>
          </>
        ) : null}
        <Field className="span-2" label="Description" error={error('description')}>
          <input
            type="text"
            value={param.description ?? ''}
            onChange={(event) => onChange({ description: event.target.value || undefined })}
          />
        </Field>
        <Check
          label="Required"
          checked={param.required ?? false}
          onChange={(required) => onChange({ required })}
        />
      </div>
    </section>
  );
}

/** The default value, entered with the same kind of control the run form will show. */
function DefaultInput(props: {
  param: ParamDefinition;
  error?: string;
  onChange: (value: ParamValue | undefined) => void;
}) {
  const { param } = props;
  if (param.type === 'boolean') {
    return (
      <Check
        label="Default: yes"
        checked={param.default === true}
        onChange={(checked) => props.onChange(checked)}
      />
    );
  }
  if (param.type === 'choice') {
    return (
      <Field label="Default" error={props.error}>
        <select
          value={typeof param.default === 'string' ? param.default : ''}
          onChange={(event) => props.onChange(event.target.value || undefined)}
        >
          <option value="">No default</option>
          {(param.allowedValues ?? []).map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </Field>
    );
  }
  if (param.type === 'number') {
    return (
      <Field label="Default" error={props.error}>
        <input
          type="number"
          value={typeof param.default === 'number' ? param.default : ''}
          onChange={(event) => props.onChange(numberOrUndefined(event.target.value))}
        />
      </Field>
    );
  }
  return (
    <Field label="Default" error={props.error}>
      <input
        type={param.type === 'date' ? 'date' : 'text'}
        value={typeof param.default === 'string' ? param.default : ''}
        onChange={(event) => props.onChange(event.target.value || undefined)}
      />
    </Field>
  );
}
