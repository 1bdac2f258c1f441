// What a job runs and where: the server, and the script named by name, ID or file path. Shared
// by the job editor and Quick run so both ask the same way.
import type { JobTarget, TargetKind } from '../../../app/shared/job.ts';
import type { ServerSummary } from '../../../app/shared/model.ts';
import { TARGET_HINTS, TARGET_LABELS } from '../format.ts';
import { Field } from './Field.tsx';

export function ServerSelect(props: {
  servers: readonly ServerSummary[];
  value: string;
  onChange: (serverId: string) => void;
  error?: string;
  className?: string;
}) {
  return (
    <Field label="Server" error={props.error} className={props.className}>
      <select value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        {props.servers.map((server) => (
          <option key={server.id} value={server.id}>
            {server.name}
          </option>
        ))}
      </select>
    </Field>
  );
}

export function TargetFields(props: {
  target: JobTarget;
  onChange: (target: JobTarget) => void;
  kindError?: string;
  valueError?: string;
  /** A known id for the value input, to move focus to it. */
  valueId?: string;
}) {
  const { target, onChange } = props;
  return (
    <>
      <Field label="Target kind" error={props.kindError}>
        <select
          value={target.kind}
          onChange={(event) => onChange({ ...target, kind: event.target.value as TargetKind })}
        >
          {(Object.keys(TARGET_LABELS) as TargetKind[]).map((kind) => (
            <option key={kind} value={kind}>
              {TARGET_LABELS[kind]}
            </option>
          ))}
        </select>
      </Field>
      <Field
        id={props.valueId}
        label={TARGET_LABELS[target.kind]}
        hint={TARGET_HINTS[target.kind]}
        error={props.valueError}
      >
        <input
          type="text"
          spellCheck={false}
          value={target.value}
          onChange={(event) => onChange({ ...target, value: event.target.value })}
        />
      </Field>
    </>
  );
}
