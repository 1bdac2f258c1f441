// Sharing saved jobs between computers: export to a JSON file (or the clipboard) and import one.
// Main leaves keys and secret values out of every export and imports each entry on its own;
// these dialogs say so and show main's report, one line per entry it turned away.
import { useEffect, useMemo, useState } from 'react';
import type { ImportReport } from '../../../app/shared/ipc-contract.ts';
import type { SavedJob } from '../../../app/shared/model.ts';
import { aft, call, copyFailedMessage, copyText, messageOf } from '../bridge.ts';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Field } from '../components/Field.tsx';
import { useStore } from '../store.tsx';

/** aft-launcher-jobs-2026-05-14.json, on the person's own calendar day. */
export function exportFileName(now: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `aft-launcher-jobs-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.json`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

interface Exported {
  json: string;
  jobCount: number;
  serverCount: number;
}

export function ExportDialog(props: {
  jobCount: number;
  /** The job selected in the list, offered as the alternative to all jobs. */
  selected: SavedJob | undefined;
  onClose: () => void;
}) {
  const { selected } = props;
  const [scope, setScope] = useState<'all' | 'selected'>('all');
  const [exported, setExported] = useState<Exported | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copyMessage, setCopyMessage] = useState<string | null>(null);
  const selectedId = scope === 'selected' ? selected?.id : undefined;

  useEffect(() => {
    let current = true;
    call(aft().jobs.export(selectedId ? { ids: [selectedId] } : {})).then(
      (value) => current && setExported(value),
      (caught: unknown) =>
        current && setError(`Could not export the jobs: ${messageOf(caught)} Try again.`),
    );
    return () => {
      current = false;
    };
  }, [selectedId]);

  const downloadUrl = useMemo(
    () =>
      exported ? URL.createObjectURL(new Blob([exported.json], { type: 'application/json' })) : '',
    [exported],
  );
  useEffect(() => () => URL.revokeObjectURL(downloadUrl), [downloadUrl]);

  function choose(next: 'all' | 'selected') {
    setScope(next);
    setExported(null);
    setError(null);
    setCopyMessage(null);
  }

  async function copy() {
    if (!exported) return;
    try {
      await copyText(exported.json);
      setCopyMessage('Copied to the clipboard.');
    } catch (caught) {
      setCopyMessage(copyFailedMessage(caught));
    }
  }

  return (
    <Dialog
      title="Export jobs"
      onClose={props.onClose}
      description={
        <p>
          API keys and secret values are not included. Whoever imports the file adds their own API
          key for each server.
        </p>
      }
    >
      <div className="dialog-body">
        <fieldset>
          <legend>Jobs to export</legend>
          <div className="check">
            <input
              id="export-scope-all"
              type="radio"
              name="export-scope"
              checked={scope === 'all'}
              onChange={() => choose('all')}
            />
            <label htmlFor="export-scope-all">
              All saved jobs ({plural(props.jobCount, 'job', 'jobs')})
            </label>
          </div>
          {selected ? (
            <div className="check">
              <input
                id="export-scope-selected"
                type="radio"
                name="export-scope"
                checked={scope === 'selected'}
                onChange={() => choose('selected')}
              />
              <label htmlFor="export-scope-selected">Only &ldquo;{selected.name}&rdquo;</label>
            </div>
          ) : null}
        </fieldset>
        <ErrorAlert message={error} />
        <p role="status" data-testid="export-summary">
          {exported
            ? `${plural(exported.jobCount, 'job', 'jobs')} and ${plural(exported.serverCount, 'server', 'servers')}, ready to save or copy.`
            : error
              ? ''
              : 'Preparing the export…'}
        </p>
        <Field label="Exported JSON">
          <textarea
            className="mono transfer-text"
            readOnly
            rows={8}
            spellCheck={false}
            value={exported?.json ?? ''}
          />
        </Field>
        {copyMessage ? (
          <p role="status" className="small">
            {copyMessage}
          </p>
        ) : null}
      </div>
      <div className="row end">
        <button type="button" onClick={props.onClose}>
          Close
        </button>
        <button type="button" onClick={copy} disabled={!exported}>
          Copy
        </button>
        {exported ? (
          <a
            className="button primary"
            href={downloadUrl}
            download={exportFileName(new Date())}
            data-autofocus
          >
            Download file
          </a>
        ) : null}
      </div>
    </Dialog>
  );
}

export function ImportDialog(props: { onClose: () => void }) {
  const store = useStore();
  const [file, setFile] = useState<{ name: string; json: string } | null>(null);
  const [pasted, setPasted] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const json = file?.json ?? pasted;

  async function chooseFile(event: React.ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    setError(null);
    setReport(null);
    if (!chosen) {
      setFile(null);
      return;
    }
    try {
      setFile({ name: chosen.name, json: await chosen.text() });
      setPasted('');
    } catch (caught) {
      setFile(null);
      setError(`Could not read ${chosen.name}: ${messageOf(caught)}. Choose the file again.`);
    }
  }

  async function runImport() {
    if (json.trim() === '') {
      setError('Choose a file exported by AFT! Launcher, or paste its contents.');
      return;
    }
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      setReport(await call(aft().jobs.import({ json })));
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="Import jobs"
      onClose={props.onClose}
      description={
        <p>
          Choose a file exported by AFT! Launcher, or paste its contents. API keys and secret values
          are not included in exports: add the key for each new server in Settings.
        </p>
      }
    >
      <div className="dialog-body">
        <Field label="Exported file" hint={file ? `Chosen: ${file.name}` : undefined}>
          <input type="file" accept="application/json,.json" onChange={chooseFile} />
        </Field>
        <Field label="Or paste the exported JSON">
          <textarea
            className="mono transfer-text"
            rows={6}
            spellCheck={false}
            value={pasted}
            disabled={file !== null}
            onChange={(event) => {
              setPasted(event.target.value);
              setReport(null);
            }}
          />
        </Field>
        <ErrorAlert message={error} />
        {report ? <ImportResult report={report} /> : null}
      </div>
      <div className="row end">
        {report && report.importedServers > 0 ? (
          <button type="button" onClick={() => store.go({ screen: 'settings' })}>
            Open Settings
          </button>
        ) : null}
        <button type="button" onClick={props.onClose}>
          {report ? 'Done' : 'Cancel'}
        </button>
        {report ? null : (
          <button type="button" className="primary" onClick={runImport} disabled={busy}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        )}
      </div>
    </Dialog>
  );
}

function ImportResult(props: { report: ImportReport }) {
  const { importedJobs, importedServers, skippedJobs, errors } = props.report;
  const parts = [
    importedJobs > 0 ? plural(importedJobs, 'job', 'jobs') : '',
    importedServers > 0 ? plural(importedServers, 'new server', 'new servers') : '',
  ].filter(Boolean);
  const imported =
    parts.length === 0 ? 'Nothing was imported.' : `Imported ${parts.join(' and ')}.`;
  // Same name, server and target as a saved job: importing a file twice adds nothing.
  const skipped = skippedJobs > 0 ? ` ${skippedJobs} already here, skipped.` : '';
  return (
    <div
      className={`alert ${errors.length > 0 ? 'warning' : 'success'}`}
      role="status"
      data-testid="import-report"
    >
      <p>
        {imported}
        {skipped}
      </p>
      {importedServers > 0 ? (
        <p>Add the API key for each new server in Settings before running its jobs.</p>
      ) : null}
      {errors.length > 0 ? (
        <>
          <p>
            {plural(errors.length, 'entry was', 'entries were')} not imported (everything else was):
          </p>
          <ul className="import-errors">
            {errors.map((entry, index) => (
              <li key={index}>
                <strong>{entry.entry}</strong>: {entry.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
