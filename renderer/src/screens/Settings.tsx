// Servers (rename, test, set key, re-pin with the old and new certificate side by side, remove),
// notifications, start at login, theme, and the state of secret storage on this computer.
import { useState } from 'react';
import type {
  CertificateInfo,
  ConnectionTestResult,
  ServerSummary,
  Settings,
} from '../../../app/shared/model.ts';
import { aft, call, messageOf } from '../bridge.ts';
import { CertificateDetails } from '../components/Certificate.tsx';
import { ConnectionResult } from '../components/ConnectionResult.tsx';
import { ConfirmDialog, Dialog } from '../components/Dialog.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Check, Field } from '../components/Field.tsx';
import { ScreenHeader } from '../components/ScreenHeader.tsx';
import { TextPromptDialog } from '../components/TextPromptDialog.tsx';
import { useStore } from '../store.tsx';

type ServerDialog = { kind: 'rename' | 'key' | 'repin' | 'remove'; server: ServerSummary };

export function SettingsScreen() {
  const store = useStore();
  const [dialog, setDialog] = useState<ServerDialog | null>(null);
  const [tests, setTests] = useState<Record<string, ConnectionTestResult | 'testing'>>({});
  const [error, setError] = useState<string | null>(null);

  async function test(server: ServerSummary) {
    setTests((previous) => ({ ...previous, [server.id]: 'testing' }));
    try {
      const result = await call(aft().servers.test({ id: server.id }));
      setTests((previous) => ({ ...previous, [server.id]: result }));
    } catch (caught) {
      setTests((previous) => ({
        ...previous,
        [server.id]: {
          reachable: false,
          tlsOk: false,
          keyAccepted: null,
          message: messageOf(caught),
        },
      }));
    }
  }

  async function update(patch: Partial<Settings>) {
    setError(null);
    const before = store.settings;
    // Show the change at once (a checkbox must not lag behind the click); main's answer wins.
    if (before) store.setSettings({ ...before, ...patch });
    try {
      store.setSettings(await call(aft().settings.update(patch)));
    } catch (caught) {
      if (before) store.setSettings(before);
      setError(messageOf(caught));
    }
  }

  async function openWebUi(server: ServerSummary) {
    setError(null);
    try {
      await call(aft().servers.openWebUi({ id: server.id }));
    } catch (caught) {
      setError(messageOf(caught));
    }
  }

  const settings = store.settings;
  const secretStorage = store.status?.secretStorage;

  return (
    <div className="screen narrow">
      <ScreenHeader title="Settings" />
      <ErrorAlert message={error} />

      <section className="screen" aria-labelledby="servers-heading">
        <div className="row">
          <h2 id="servers-heading" className="grow">
            Servers
          </h2>
          <button type="button" onClick={() => store.go({ screen: 'add-server' })}>
            Add server
          </button>
        </div>
        {(store.servers ?? []).length === 0 ? (
          <p className="muted">No servers yet: add one to start running jobs.</p>
        ) : null}
        {(store.servers ?? []).map((server) => {
          const result = tests[server.id];
          return (
            <article key={server.id} className="card details" aria-label={`Server ${server.name}`}>
              <h3>
                {server.name} {server.isDemo ? <span className="tag">demo</span> : null}
              </h3>
              <dl>
                <dt>URL</dt>
                <dd className="mono">{server.baseUrl}</dd>
                <dt>Certificate</dt>
                <dd className="fingerprint">
                  {server.pinnedCertificate
                    ? `Pinned: ${server.pinnedCertificate.fingerprint256}`
                    : 'Publicly trusted (not pinned)'}
                </dd>
                <dt>API key</dt>
                <dd>
                  {server.hasApiKey
                    ? 'Set (stored encrypted; never shown)'
                    : 'Not set: runs will be refused'}
                </dd>
              </dl>
              <div className="row">
                <button
                  type="button"
                  onClick={() => void test(server)}
                  disabled={result === 'testing'}
                >
                  Test connection
                </button>
                <button type="button" onClick={() => setDialog({ kind: 'rename', server })}>
                  Rename
                </button>
                <button type="button" onClick={() => setDialog({ kind: 'key', server })}>
                  Set API key
                </button>
                <button type="button" onClick={() => setDialog({ kind: 'repin', server })}>
                  Re-pin certificate
                </button>
                <button type="button" onClick={() => void openWebUi(server)}>
                  Open web UI
                </button>
                <button
                  type="button"
                  className="danger"
                  onClick={() => setDialog({ kind: 'remove', server })}
                >
                  Remove
                </button>
              </div>
              {result === 'testing' ? (
                <p role="status" className="muted">
                  Testing…
                </p>
              ) : result ? (
                <ConnectionResult result={result} />
              ) : null}
            </article>
          );
        })}
      </section>

      {settings ? (
        <section className="card screen" aria-labelledby="preferences-heading">
          <h2 id="preferences-heading">Preferences</h2>
          <Field label="Theme">
            <select
              value={settings.theme}
              onChange={(event) => void update({ theme: event.target.value as Settings['theme'] })}
            >
              <option value="system">Same as the system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </Field>
          <Check
            label="Show a notification when a run ends"
            hint="Each job can also ask for failures only, or none, in its options."
            checked={settings.notificationsEnabled}
            onChange={(notificationsEnabled) => void update({ notificationsEnabled })}
          />
          <Check
            label="Start at login"
            checked={settings.startAtLogin}
            onChange={(startAtLogin) => void update({ startAtLogin })}
          />
          <ShortcutField
            value={settings.quickLaunchShortcut}
            onSave={(quickLaunchShortcut) => void update({ quickLaunchShortcut })}
          />
        </section>
      ) : null}

      <section className="card" aria-labelledby="secrets-heading">
        <h2 id="secrets-heading">Secret storage</h2>
        {secretStorage?.warning ? (
          <div className="alert warning" role="alert" data-testid="secret-warning">
            <p>{secretStorage.warning}</p>
          </div>
        ) : null}
        <p className="muted small">
          {secretStorage
            ? secretStorage.available
              ? `API keys and secret values are encrypted by the operating system${secretStorage.backend ? ` (${secretStorage.backend})` : ''}.`
              : 'Encryption is not available on this computer: keys cannot be stored.'
            : 'Checking…'}
        </p>
        {store.status ? (
          <p className="muted small">
            AFT! Launcher {store.status.version} on {store.status.platform}
          </p>
        ) : null}
      </section>

      {dialog?.kind === 'rename' ? (
        <TextPromptDialog
          title={`Rename “${dialog.server.name}”`}
          label="Name"
          initialValue={dialog.server.name}
          emptyMessage="Give the server a name."
          submitLabel="Rename"
          onSubmit={async (name) => {
            await call(aft().servers.rename({ id: dialog.server.id, name }));
            setDialog(null);
          }}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'key' ? (
        <TextPromptDialog
          title={`API key for “${dialog.server.name}”`}
          description={
            <p>
              The new key replaces the stored one. It is stored encrypted and never shown again.
            </p>
          }
          label="API key"
          secret
          emptyMessage="Enter the API key."
          submitLabel="Save key and test"
          onSubmit={async (apiKey) => {
            await call(aft().servers.setKey({ id: dialog.server.id, apiKey }));
            setDialog(null);
            void test(dialog.server);
          }}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'repin' ? (
        <RepinDialog server={dialog.server} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'remove' ? (
        <RemoveDialog server={dialog.server} onClose={() => setDialog(null)} />
      ) : null}
    </div>
  );
}

function ShortcutField(props: { value: string; onSave: (value: string) => void }) {
  const [value, setValue] = useState(props.value);
  return (
    <form
      className="row"
      onSubmit={(event) => {
        event.preventDefault();
        props.onSave(value.trim());
      }}
    >
      <Field
        label="Quick-launch shortcut"
        hint="E.g. CommandOrControl+Shift+Space; empty for none."
        className="grow"
      >
        <input type="text" value={value} onChange={(event) => setValue(event.target.value)} />
      </Field>
      <button type="submit" disabled={value.trim() === props.value}>
        Save shortcut
      </button>
    </form>
  );
}

function RepinDialog(props: { server: ServerSummary; onClose: () => void }) {
  const { server } = props;
  const [probed, setProbed] = useState<CertificateInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function probe() {
    setBusy(true);
    setError(null);
    try {
      setProbed(await call(aft().servers.probe({ baseUrl: server.baseUrl })));
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }
  async function confirm() {
    if (!probed) return;
    setBusy(true);
    try {
      await call(
        aft().servers.repin({ id: server.id, confirmedFingerprint256: probed.fingerprint256 }),
      );
      props.onClose();
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(false);
    }
  }
  const unchanged = probed && server.pinnedCertificate?.fingerprint256 === probed.fingerprint256;

  return (
    <Dialog
      title={`Re-pin the certificate of “${server.name}”`}
      onClose={props.onClose}
      wide
      description={
        <p>
          Do this only when the server&rsquo;s certificate was replaced on purpose. Compare the new
          fingerprint with the one on the server before you trust it.
        </p>
      }
    >
      {probed ? (
        <div className="compare" data-testid="repin-compare">
          {server.pinnedCertificate ? (
            <CertificateDetails
              certificate={server.pinnedCertificate}
              heading="Pinned now (old)"
              className="old"
            />
          ) : (
            <p>No certificate is pinned now.</p>
          )}
          <CertificateDetails certificate={probed} heading="Presented now (new)" className="new" />
        </div>
      ) : (
        <p>First, fetch the certificate the server presents now (no key is sent).</p>
      )}
      {unchanged ? (
        <div className="alert success" role="status">
          <p>The server still presents the pinned certificate: nothing to change.</p>
        </div>
      ) : null}
      <ErrorAlert message={error} />
      <div className="row end">
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
        {probed && !unchanged ? (
          <button type="button" className="primary" onClick={() => void confirm()} disabled={busy}>
            Trust the new certificate
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            data-autofocus
            onClick={() => void probe()}
            disabled={busy || Boolean(unchanged)}
          >
            Fetch the current certificate
          </button>
        )}
      </div>
    </Dialog>
  );
}

function RemoveDialog(props: { server: ServerSummary; onClose: () => void }) {
  const [error, setError] = useState<string | null>(null);
  async function remove() {
    try {
      await call(aft().servers.remove({ id: props.server.id }));
      props.onClose();
    } catch (caught) {
      setError(messageOf(caught));
    }
  }
  return (
    <ConfirmDialog
      title={`Remove “${props.server.name}”?`}
      description={
        <p>
          Its API key is deleted from this computer. Saved jobs on this server stay, but cannot run
          until you move them to another server.
        </p>
      }
      confirmLabel="Remove server"
      danger
      onConfirm={() => void remove()}
      onCancel={props.onClose}
    >
      <ErrorAlert message={error} />
    </ConfirmDialog>
  );
}
