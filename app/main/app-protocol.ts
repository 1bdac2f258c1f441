// Serves the built renderer (dist/renderer) on the app:// scheme. A custom standard, secure
// scheme gives the pages a real origin for the CSP's 'self' and for the IPC sender check,
// without the extra privileges Electron grants file:// pages.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, isAppUrl } from './window.ts';

/**
 * Registered before the app is ready (protocol.registerSchemesAsPrivileged), as Electron's
 * protocol documentation does for an app's own pages: a standard scheme (real origin, relative
 * URLs), secure (a secure context), loadable by fetch (module scripts), with a V8 code cache.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

function refuse(status: number): Response {
  return new Response(null, { status });
}

/**
 * Maps an app:// URL to a file under `rendererDir`, refusing other hosts, other methods and
 * any path that would leave the directory (`..`, encoded or not, backslashes, NUL).
 */
export function resolveAppFile(rendererDir: string, url: string): string | undefined {
  if (!isAppUrl(url)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.')) return undefined;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, ...(segments.length === 0 ? ['index.html'] : segments));
  return file.startsWith(root + path.sep) ? file : undefined;
}

export type FileReader = (file: string) => Promise<Uint8Array>;

export function createAppRequestHandler(
  rendererDir: string,
  read: FileReader = readFile,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) return refuse(404);
    let body: Uint8Array;
    try {
      body = await read(file);
    } catch {
      return refuse(404);
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type':
          CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  };
}
