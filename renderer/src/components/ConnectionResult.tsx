import type { ConnectionTestResult } from '../../../app/shared/model.ts';

export function connectionOk(result: ConnectionTestResult): boolean {
  return result.reachable && result.tlsOk && result.keyAccepted !== false;
}

/** The outcome of "Test connection", with what to do next when it failed. */
export function ConnectionResult(props: { result: ConnectionTestResult }) {
  const { result } = props;
  if (connectionOk(result)) {
    return (
      <div className="alert success" role="status" data-testid="connection-result">
        <p>
          <strong>Connected.</strong> {result.message}
        </p>
        {result.keyAccepted === null ? (
          <p className="small">
            The server's answer does not tell whether the key is accepted; the first run will.
          </p>
        ) : null}
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
