// A labelled form control with its hint and error wired up for screen readers.
import { useId, type ReactElement, cloneElement } from 'react';

interface ControlProps {
  id?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}

export function Field(props: {
  label: string;
  /** A known id for the control, e.g. to move focus to it; generated otherwise. */
  id?: string;
  hint?: string;
  error?: string;
  className?: string;
  children: ReactElement<ControlProps>;
}) {
  const generatedId = useId();
  const id = props.id ?? generatedId;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.hint ? hintId : '', props.error ? errorId : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {cloneElement(props.children, {
        id,
        'aria-describedby': describedBy || undefined,
        'aria-invalid': props.error ? true : undefined,
      })}
      {props.hint ? (
        <span id={hintId} className="hint">
          {props.hint}
        </span>
      ) : null}
      {props.error ? (
        <span id={errorId} className="error" role="alert">
          {props.error}
        </span>
      ) : null}
    </div>
  );
}

export function Check(props: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
  /** A known id for the checkbox, e.g. to move focus to it; generated otherwise. */
  id?: string;
  onBlur?: () => void;
}) {
  const generatedId = useId();
  const id = props.id ?? generatedId;
  return (
    <div className="field">
      <div className="check">
        <input
          id={id}
          type="checkbox"
          checked={props.checked}
          onChange={(event) => props.onChange(event.target.checked)}
          onBlur={props.onBlur}
          aria-describedby={props.hint ? `${id}-hint` : undefined}
        />
        <label htmlFor={id}>{props.label}</label>
      </div>
      {props.hint ? (
        <span id={`${id}-hint`} className="hint">
          {props.hint}
        </span>
      ) : null}
    </div>
  );
}
