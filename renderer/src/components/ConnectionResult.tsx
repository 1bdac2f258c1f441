import type { ConnectionTestResult } from '../../../app/shared/model.ts';

/** Reached, trusted, and the key was accepted: nothing left to check. */
export function connectionOk(result: ConnectionTestResult): boolean {
  return result.reachable && result.tlsOk && result.keyAccepted === true;
}

/** The outcome of "Test connection", with what to do next when something is wrong. */
export function ConnectionResult(props: { result: ConnectionTestResult }) {
  const { result } = props;
  if (connectionOk(result)) {
    return (
      <div className="alert success" role="status" data-testid="connection-result">
        <p>
          <strong>Connected.</strong> {result.message}
        </p>
      </div>
    );
  }
  if (result.reachable && result.tlsOk && result.keyAccepted === null) {
    return (
      <div className="alert warning" role="status" data-testid="connection-result">
        <p>
          <strong>Connected, but the API key is not verified.</strong> {result.message}
        </p>
        <p>
          If a run is refused, check the key in the AFT! web UI (Settings &gt; API Keys) and that
          its allow-list includes this computer&rsquo;s IP address, then set the key again here.
        </p>
      </div>
    );
  }
  const nextStep = !result.reachable
    ? 'Check that the AFT! server is running, that the URL and port are right (AFT! listens on 44399 by default), and that no firewall blocks it.'
    : !result.tlsOk
      ? "The server's certificate could not be trusted. If the server's certificate was replaced on purpose, re-pin it in Settings > Servers."
      : 'In the AFT! web UI (Settings > API Keys), check the key, and that its allow-list includes this computer\u2019s IP address. Then set the key again here.';
  return (
    <div className="alert error" role="alert" data-testid="connection-result">
      <p>
        <strong>Connection failed.</strong> {result.message}
      </p>
      <p>{nextStep}</p>
    </div>
  );
}
