// The server address a person types, checked and made canonical before any connection.
import { invalidUrlError } from './errors.ts';

/** AFT!'s own default port (the vendor CLI's `--host` defaults to 127.0.0.1:44399). */
export const DEFAULT_AFT_PORT = 44399;

export interface ServerAddress {
  /** Canonical `https://host:port`, always with the port; used as the identity of a server. */
  origin: string;
  /** Host name or IP address to connect to (IPv6 without brackets). */
  host: string;
  port: number;
}

/**
 * Accepts `https://host`, `https://host:port`, an optional trailing `/`, and (like the vendor
 * CLI's `--host`) a bare `host:port`, which is read as https.
 *
 * When no port is given the AFT! default 44399 is used, NOT 443: AFT! listens on 44399 and
 * the vendor's examples and CLI all assume it, so `https://aft.example.com` most likely means
 * the AFT! port. A server behind a proxy on 443 is written `https://host:443` explicitly.
 */
export function parseServerUrl(input: string): ServerAddress {
  const text = input.trim();
  if (!text) throw invalidUrlError(input, 'it is empty');
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (schemeMatch && schemeMatch[1]!.toLowerCase() !== 'https') {
    throw invalidUrlError(
      input,
      schemeMatch[1]!.toLowerCase() === 'http'
        ? 'AFT! is reached over HTTPS only, so it must start with https://'
        : `"${schemeMatch[1]}" is not https`,
    );
  }
  const withScheme = schemeMatch ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalidUrlError(input, 'it is not a valid address');
  }
  if (url.username || url.password) {
    throw invalidUrlError(input, 'it must not contain a user name or password');
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw invalidUrlError(input, 'it must not contain a path (the app adds /v1/jobs itself)');
  }
  if (url.search || url.hash || /[?#]/.test(text)) {
    throw invalidUrlError(input, 'it must not contain a query (?) or fragment (#)');
  }
  if (!url.hostname) throw invalidUrlError(input, 'it has no host name');

  // URL drops an explicit default port (":443"), so the port is read from the text itself.
  const authority = withScheme.slice(withScheme.indexOf('//') + 2).split(/[/?#]/)[0] ?? '';
  const portMatch = /:(\d+)$/.exec(authority);
  const port = portMatch ? Number(portMatch[1]) : DEFAULT_AFT_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalidUrlError(input, 'its port must be a number from 1 to 65535');
  }
  const hostname = url.hostname;
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return { origin: `https://${hostname}:${port}`, host, port };
}
