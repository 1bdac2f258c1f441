// A dialog that asks for one piece of text (a name, a key) and hands it to `onSubmit`, showing
// the refusal in place when there is one. Used for renaming a server, setting its key and
// naming a preset.
import { useState, type FormEvent, type ReactNode } from 'react';
import { messageOf } from '../bridge.ts';
import { Dialog } from './Dialog.tsx';
import { Field } from './Field.tsx';

export function TextPromptDialog(props: {
  title: string;
  description?: ReactNode;
  label: string;
  initialValue?: string;
  /** A secret (an API key): masked, never offered by autocomplete. */
  secret?: boolean;
  /** Shown when the person submits nothing. */
  emptyMessage: string;
  submitLabel: string;
  /** Saves the trimmed text; throws to show why it was refused. */
  onSubmit: (text: string) => Promise<void>;
  onClose: () => void;
}) {
  const [text, setText] = useState(props.initialValue ?? '');
  const [error, setError] = useState<string | null>(null);
  async function submit(event: FormEvent) {
    event.preventDefault();
    // A dialog opened from inside another form (the run form) must not submit that form too.
    event.stopPropagation();
    if (!text.trim()) return setError(props.emptyMessage);
    try {
      await props.onSubmit(text.trim());
    } catch (caught) {
      setError(messageOf(caught));
    }
  }
  return (
    <Dialog title={props.title} onClose={props.onClose} description={props.description}>
      <form onSubmit={submit} noValidate>
        <Field label={props.label} error={error ?? undefined}>
          <input
            type={props.secret ? 'password' : 'text'}
            autoComplete={props.secret ? 'off' : undefined}
            data-autofocus
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </Field>
        <div className="row end">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary">
            {props.submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
