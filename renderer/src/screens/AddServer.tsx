// First run and "Add server": name, URL and key; probe the certificate (no key sent) and show
// it for the person to confirm; add the server with that pin; test the connection.
import { useState } from 'react';
import type {
  CertificateInfo,
  ConnectionTestResult,
  ServerSummary,
} from '../../../app/shared/model.ts';
import { aft, BridgeError, call, messageOf } from '../bridge.ts';
import { CertificateDetails } from '../components/Certificate.tsx';
import { ConnectionResult, connectionOk } from '../components/ConnectionResult.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Field } from '../components/Field.tsx';
import { ScreenHeader } from '../components/ScreenHeader.tsx';
import { useStore } from '../store.tsx';

type Phase = 'details' | 'certificate' | 'added';

export function AddServerScreen(props: { firstRun: boolean }) {
  const store = useStore();
  const [name, setName] = useState('AFT! server');
  const [baseUrl, setBaseUrl] = useState('https://127.0.0.1:44399');
  const [apiKey, setApiKey] = useState('');
  const [phase, setPhase] = useState<Phase>('details');
  const [certificate, setCertificate] = useState<CertificateInfo | null>(null);
  const [server, setServer] = useState<ServerSummary | null>(null);
  const [test, setTest] = useState<ConnectionTestResult | null>(null);
  const [newKey, setNewKey] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  function fail(caught: unknown) {
    setError(messageOf(caught));
    setFieldErrors(caught instanceof BridgeError ? caught.fields : {});
  }

  async function probe(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    setFieldErrors({});
    const missing: Record<string, string> = {};
    if (!name.trim()) missing.name = 'Give the server a name.';
    if (!baseUrl.trim()) missing.baseUrl = 'Enter the server URL.';
    if (!apiKey.trim()) missing.apiKey = 'Enter the API key.';
    if (Object.keys(missing).length > 0) {
      setFieldErrors(missing);
      return;
    }
    setBusy('Checking the certificate…');
    try {
      setCertificate(await call(aft().servers.probe({ baseUrl })));
      setPhase('certificate');
    } catch (caught) {
      fail(caught);
    } finally {
      setBusy(null);
    }
  }

  async function testConnection(target: ServerSummary) {
    setBusy('Testing the connection…');
    try {
      setTest(await call(aft().servers.test({ id: target.id })));
    } catch (caught) {
      fail(caught);
    } finally {
      setBusy(null);
    }
  }

  async function add() {
    if (!certificate) return;
    setError(null);
    setBusy('Adding the server…');
    try {
      // Stay on this screen when the first server arrives and the app leaves first-run mode.
      store.go({ screen: 'add-server' });
      const added = await call(
        aft().servers.add({
          name,
          baseUrl,
          apiKey,
          confirmedFingerprint256: certificate.publiclyTrusted
            ? undefined
            : certificate.fingerprint256,
        }),
      );
      setServer(added);
      setPhase('added');
      await store.reloadServers();
      await testConnection(added);
    } catch (caught) {
      setBusy(null);
      fail(caught);
    }
  }

  async function replaceKey(event: React.FormEvent) {
    event.preventDefault();
    if (!server || !newKey.trim()) return;
    setBusy('Saving the key…');
    try {
      await call(aft().servers.setKey({ id: server.id, apiKey: newKey }));
      setNewKey('');
      await testConnection(server);
    } catch (caught) {
      setBusy(null);
      fail(caught);
    }
  }

  async function startDemo() {
    setError(null);
    setBusy('Starting the demo server…');
    try {
      store.go({ screen: 'add-server' });
      const demo = await call(aft().servers.startDemo({}));
      setServer(demo);
      setPhase('added');
      await store.reloadServers();
      await testConnection(demo);
    } catch (caught) {
      setBusy(null);
      fail(caught);
    }
  }

  const usable = test !== null && test.reachable && test.tlsOk;

  return (
    <div className="screen narrow">
      <ScreenHeader title={props.firstRun ? 'Welcome to AFT! Launcher' : 'Add a server'} />
      {props.firstRun && phase === 'details' ? (
        <p>
          Connect to your AFT! server to start its jobs from here. You need its address and an API
          key: create one in the AFT! web UI under <strong>Settings &gt; API Keys</strong>, and add
          this computer&rsquo;s IP address to the key&rsquo;s allow-list.
        </p>
      ) : null}

      {phase === 'details' ? (
        <form className="card form-grid" onSubmit={probe} noValidate aria-label="Server details">
          <Field
            label="Name"
            error={fieldErrors.name}
            hint="How the server is shown in the launcher."
          >
            <input type="text" value={name} onChange={(event) => setName(event.target.value)} />
          </Field>
          <Field
            label="Server URL"
            error={fieldErrors.baseUrl}
            hint="https://host:44399 (AFT!'s default port)."
          >
            <input
              type="url"
              value={baseUrl}
              onChange={(event) => setBaseUrl(event.target.value)}
              spellCheck={false}
            />
          </Field>
          <Field
            className="span-2"
            label="API key"
            error={fieldErrors.apiKey}
            hint="Stored encrypted on this computer, and sent only to this server."
          >
            <input
              type="password"
              value={apiKey}
              autoComplete="off"
              onChange={(event) => setApiKey(event.target.value)}
            />
          </Field>
          <div className="row span-2">
            <button type="submit" className="primary" disabled={busy !== null}>
              Check the certificate
            </button>
            {props.firstRun ? (
              <>
                <span className="muted">or</span>
                <button type="button" onClick={startDemo} disabled={busy !== null}>
                  Try the built-in demo server
                </button>
              </>
            ) : (
              <button type="button" onClick={() => store.go({ screen: 'settings' })}>
                Cancel
              </button>
            )}
          </div>
        </form>
      ) : null}

      {phase === 'certificate' && certificate ? (
        <section className="screen" aria-label="Confirm the certificate">
          <p>
            The server at <code>{baseUrl}</code> presented this certificate. From now on the
            launcher will talk to this server only while it presents exactly this certificate.
          </p>
          <CertificateDetails certificate={certificate} heading="Server certificate" />
          <div className="row">
            <button type="button" className="primary" onClick={add} disabled={busy !== null}>
              {certificate.publiclyTrusted ? 'Add server' : 'Trust this certificate and add server'}
            </button>
            <button type="button" onClick={() => setPhase('details')} disabled={busy !== null}>
              Back
            </button>
          </div>
        </section>
      ) : null}

      {phase === 'added' && server ? (
        <section className="screen" aria-label="Connection test">
          <p>
            <strong>{server.name}</strong> was added
            {server.isDemo ? ' (the built-in demo server, on this computer)' : ''}.
          </p>
          {test ? <ConnectionResult result={test} /> : null}
          {test && !connectionOk(test) ? (
            <form className="card row" onSubmit={replaceKey} aria-label="Replace the API key">
              <Field className="grow" label="A different API key">
                <input
                  type="password"
                  value={newKey}
                  autoComplete="off"
                  onChange={(event) => setNewKey(event.target.value)}
                />
              </Field>
              <button type="submit" disabled={busy !== null || !newKey.trim()}>
                Save key and test again
              </button>
              <button type="button" onClick={() => testConnection(server)} disabled={busy !== null}>
                Test again
              </button>
            </form>
          ) : null}
          <div className="row">
            <button
              type="button"
              className={usable ? 'primary' : ''}
              onClick={() => store.go({ screen: 'jobs' })}
              disabled={busy !== null}
            >
              {usable ? 'Continue to jobs' : 'Continue anyway'}
            </button>
          </div>
        </section>
      ) : null}

      {busy ? (
        <p role="status" className="muted">
          {busy}
        </p>
      ) : null}
      <ErrorAlert message={error} />
    </div>
  );
}
