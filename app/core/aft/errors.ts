// Every way a call to an AFT! server can fail, as a machine code (for the app and the CLI's exit
// codes) plus a message written for the person: what happened, and what to do next.
// The API key never appears in a message: server text is redacted before it is quoted.

export const AFT_ERROR_CODES = [
  'unreachable',
  'tls-untrusted',
  'tls-changed',
  'tls-expired',
  'tls-wrong-host',
  'auth',
  'script-not-found',
  'rejected',
  'server-error',
  'malformed',
  'timeout',
  'status-unavailable',
  'invalid-url',
] as const;
export type AftErrorCode = (typeof AFT_ERROR_CODES)[number];

/** Which call failed: the wording differs (a failed status read never means a failed job). */
export type AftOperation = 'launch' | 'status' | 'test' | 'probe';

export interface AftErrorDetails {
  /** The server's origin, e.g. `https://127.0.0.1:44399`. */
  origin?: string;
  /** SHA-256 fingerprints (colon-separated hex, as Node prints them). */
  expectedFingerprint?: string;
  actualFingerprint?: string;
  /** For 'timeout': whether the connection or the answer took too long. */
  timeoutPhase?: 'connect' | 'response';
  timeoutMs?: number;
  /** Node's or OpenSSL's own code (ECONNREFUSED, CERT_HAS_EXPIRED ...), for support. */
  systemCode?: string;
  certificateValidTo?: string;
  certificateNames?: string[];
}

export interface AftErrorInit {
  code: AftErrorCode;
  message: string;
  status?: number;
  serverMessage?: string;
  requestMayHaveReachedServer?: boolean;
  details?: AftErrorDetails;
  cause?: unknown;
}

export class AftError extends Error {
  override readonly name = 'AftError';
  readonly code: AftErrorCode;
  /** The HTTP status, when the server answered. */
  readonly status?: number;
  /** The server's own explanation (redacted, trimmed), when it gave one. */
  readonly serverMessage?: string;
  /**
   * True when the server may have acted on the request and nothing in its answer says it did
   * not: for a launch, the job may already be running, so it must not be sent again without
   * the person's say-so. False when the request provably never reached the server, or the
   * server answered that it refused it (4xx).
   */
  readonly requestMayHaveReachedServer: boolean;
  readonly details?: AftErrorDetails;

  constructor(init: AftErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.requestMayHaveReachedServer = init.requestMayHaveReachedServer ?? false;
    this.details = init.details;
  }
}

export function isAftError(value: unknown): value is AftError {
  return value instanceof AftError;
}

const REDACTED = '[redacted]';

/** Replaces every occurrence of the secret (the API key) in text. */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join(REDACTED);
}

const SERVER_MESSAGE_MAX_CHARS = 300;
const MESSAGE_FIELDS = [
  'message',
  'error',
  'detail',
  'details',
  'title',
  'description',
  'error_description',
  'msg',
  'reason',
  'errors',
];

function tidy(text: string): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed.length > SERVER_MESSAGE_MAX_CHARS
    ? `${collapsed.slice(0, SERVER_MESSAGE_MAX_CHARS - 1)}…`
    : collapsed;
}

function findMessage(value: unknown, depth: number): string | undefined {
  if (depth > 4) return undefined;
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) {
    const found = value
      .slice(0, 3)
      .map((item) => findMessage(item, depth + 1))
      .filter((text): text is string => text !== undefined);
    return found.length > 0 ? found.join('; ') : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  for (const field of MESSAGE_FIELDS) {
    const entry = entries.find(([key]) => key.toLowerCase() === field);
    if (!entry) continue;
    const found = findMessage(entry[1], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * The server's own explanation from an error body of any shape: JSON with a message/error/
 * detail/title field (nested is fine), or plain text / HTML, trimmed and truncated.
 */
export function extractServerMessage(
  body: string,
  contentType: string | undefined,
  apiKey: string | undefined,
): string | undefined {
  const trimmed = body.trim();
  if (!trimmed) return undefined;
  let text: string | undefined;
  if (/^[[{"]/.test(trimmed)) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      text = findMessage(parsed, 0) ?? (typeof parsed === 'object' ? trimmed : undefined);
    } catch {
      text = trimmed;
    }
  } else if (/html/i.test(contentType ?? '') || trimmed.startsWith('<')) {
    text = trimmed
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&nbsp;/g, ' ');
  } else {
    text = trimmed;
  }
  if (!text) return undefined;
  const redacted = tidy(redactSecret(text, apiKey));
  return redacted || undefined;
}

const CHECK_WEB_UI =
  'The job may already be running: check the AFT! web UI before running it again.';

function quoted(serverMessage: string | undefined): string {
  return serverMessage ? ` The server said: "${serverMessage}".` : '';
}

function statusText(status: number): string {
  const names: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    408: 'Request Timeout',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Entity',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  const name = names[status];
  return name ? `HTTP ${status} ${name}` : `HTTP ${status}`;
}

export interface HttpErrorContext {
  operation: AftOperation;
  origin: string;
  status: number;
  body: string;
  contentType?: string;
  apiKey?: string;
  /** For a launch: how the script was named, to say which one was not found. */
  targetDescription?: string;
  jobId?: string;
}

/** The error for a non-success HTTP answer. */
export function httpStatusError(context: HttpErrorContext): AftError {
  const { operation, origin, status, apiKey } = context;
  const serverMessage = extractServerMessage(context.body, context.contentType, apiKey);
  const http = statusText(status);
  const base = { status, serverMessage, details: { origin } };

  if (operation === 'status' && (status === 401 || status === 403 || status === 404)) {
    return new AftError({
      ...base,
      code: 'status-unavailable',
      message: redactSecret(
        `The job was started, but its status cannot be read with this key (${http} from GET /v1/adm/jobs/${context.jobId ?? '…'}). ` +
          'The status endpoint may need an administrator session rather than an API key. ' +
          `Follow the job in the AFT! web UI.${quoted(serverMessage)}`,
        apiKey,
      ),
    });
  }
  if (status === 401 || status === 403) {
    return new AftError({
      ...base,
      code: 'auth',
      message:
        `The AFT! server at ${origin} refused the request (${http}): the API key was refused, ` +
        "or this machine's IP address is not on the key's allow-list. In the AFT! web UI " +
        '(Settings > API Keys), check that the key is right and that its IP allow-list includes ' +
        `this machine's address.${quoted(serverMessage)}`,
    });
  }
  if (status === 404 && operation === 'launch') {
    const what = context.targetDescription ?? 'the requested script';
    return new AftError({
      ...base,
      code: 'script-not-found',
      message:
        `The AFT! server at ${origin} has no ${what} (${http}). Check the name in the AFT! ` +
        `web UI (script names match regardless of case), and that this address is an AFT! server.` +
        quoted(serverMessage),
    });
  }
  if (status >= 500) {
    const consequence =
      operation === 'launch'
        ? ` ${CHECK_WEB_UI}`
        : operation === 'status'
          ? ' The job itself may be fine; the status will be read again.'
          : ' Try again later, or check the AFT! server.';
    return new AftError({
      ...base,
      code: 'server-error',
      requestMayHaveReachedServer: true,
      message: `The AFT! server at ${origin} had an internal error (${http}).${quoted(serverMessage)}${consequence}`,
    });
  }
  const advice =
    status === 413
      ? 'The request is too large: shorten the parameters.'
      : status === 415
        ? 'The server did not accept the request format (JSON); this AFT! server may be a version this app does not support.'
        : operation === 'launch'
          ? 'Nothing was started. Check the script and its parameters, then try again.'
          : 'Check the server address and try again.';
  return new AftError({
    ...base,
    code: 'rejected',
    message: `The AFT! server at ${origin} rejected the request (${http}).${quoted(serverMessage)} ${advice}`,
  });
}

/** A 2xx answer that cannot be used: not JSON, or (for a launch) no job ID in it. */
export function malformedAnswerError(context: {
  operation: AftOperation;
  origin: string;
  status: number;
  problem: 'not-json' | 'no-job-id' | 'unreadable-job';
}): AftError {
  const { operation, origin, status } = context;
  const what =
    context.problem === 'not-json'
      ? 'is not valid JSON'
      : context.problem === 'no-job-id'
        ? 'contains no job ID'
        : 'is not a job description this app can read';
  const next =
    operation === 'launch'
      ? `The job has probably started, but it cannot be followed from here: check the AFT! web UI before running it again.`
      : operation === 'status'
        ? 'The status will be read again.'
        : 'This address may not be an AFT! server.';
  return new AftError({
    code: 'malformed',
    status,
    requestMayHaveReachedServer: true,
    details: { origin },
    message: `The AFT! server at ${origin} answered (HTTP ${status}), but the answer ${what}. ${next}`,
  });
}

export function invalidUrlError(input: string, reason: string): AftError {
  // A password typed into the address (https://user:secret@host) is not repeated back.
  const withoutCredentials = input.replace(
    /^(\s*(?:[a-z][a-z0-9+.-]*:\/\/)?)[^/?#@]*@/i,
    (_match, prefix: string) => `${prefix}…@`,
  );
  const shown =
    withoutCredentials.length > 80 ? `${withoutCredentials.slice(0, 79)}…` : withoutCredentials;
  return new AftError({
    code: 'invalid-url',
    message:
      `"${shown}" is not a usable AFT! server address: ${reason}. ` +
      'Enter it as https://host or https://host:port, for example https://127.0.0.1:44399.',
  });
}

export function timeoutError(context: {
  operation: AftOperation;
  origin: string;
  phase: 'connect' | 'response';
  timeoutMs: number;
}): AftError {
  const { operation, origin, phase, timeoutMs } = context;
  const seconds = `${Math.round(timeoutMs / 100) / 10} s`;
  if (phase === 'connect') {
    return new AftError({
      code: 'timeout',
      details: { origin, timeoutPhase: phase, timeoutMs },
      message:
        `Could not connect to the AFT! server at ${origin} within ${seconds}; nothing was sent. ` +
        'Check that the server is running and that no firewall or VPN blocks the address and port.',
    });
  }
  const next =
    operation === 'launch'
      ? CHECK_WEB_UI
      : operation === 'status'
        ? 'The status will be read again.'
        : 'The server may be overloaded; try again later.';
  return new AftError({
    code: 'timeout',
    requestMayHaveReachedServer: true,
    details: { origin, timeoutPhase: phase, timeoutMs },
    message: `The AFT! server at ${origin} did not answer within ${seconds}. ${next}`,
  });
}

export type UnreachableReason = 'refused' | 'dns' | 'network' | 'not-tls' | 'reset';

export function unreachableError(context: {
  operation: AftOperation;
  origin: string;
  host: string;
  reason: UnreachableReason;
  systemCode?: string;
  cause?: unknown;
}): AftError {
  const { origin, host, reason } = context;
  const what: Record<UnreachableReason, string> = {
    refused: `Cannot reach the AFT! server at ${origin}: the connection was refused. Check that AFT! is running and that the address and port are right.`,
    dns: `Cannot reach the AFT! server: the host name "${host}" could not be found (DNS). Check the spelling of the address, or use the server's IP address.`,
    network: `Cannot reach the AFT! server at ${origin}: the network could not get there. Check this machine's network connection, VPN and firewall.`,
    'not-tls': `Could not open a secure (HTTPS) connection to ${origin}: whatever answers there does not speak TLS as an AFT! server does. Check the address and port.`,
    reset: `The connection to the AFT! server at ${origin} was closed before anything was sent. Check that the server is running, then try again.`,
  };
  return new AftError({
    code: 'unreachable',
    details: { origin, systemCode: context.systemCode },
    message: what[reason],
    cause: context.cause,
  });
}

/** The connection was lost after the request may have been written (no answer came). */
export function connectionLostAfterSendError(context: {
  operation: AftOperation;
  origin: string;
  systemCode?: string;
  cause?: unknown;
}): AftError {
  const next = context.operation === 'launch' ? CHECK_WEB_UI : 'The status will be read again.';
  return new AftError({
    code: 'unreachable',
    requestMayHaveReachedServer: true,
    details: { origin: context.origin, systemCode: context.systemCode },
    message: `The connection to the AFT! server at ${context.origin} was lost after the request was sent, before any answer came. ${next}`,
    cause: context.cause,
  });
}

export function certificateChangedError(context: {
  origin: string;
  expectedFingerprint: string;
  actualFingerprint: string;
}): AftError {
  const { origin, expectedFingerprint, actualFingerprint } = context;
  return new AftError({
    code: 'tls-changed',
    details: { origin, expectedFingerprint, actualFingerprint },
    message:
      `The AFT! server at ${origin} presented a different certificate from the one you trusted, ` +
      'so nothing was sent (not even the API key). ' +
      `Trusted SHA-256 fingerprint: ${expectedFingerprint}. Presented: ${actualFingerprint}. ` +
      'If the certificate was replaced on purpose, confirm the new fingerprint with the server ' +
      "administrator and trust it again; if not, someone may be intercepting this machine's connection.",
  });
}

export function certificateUntrustedError(context: {
  origin: string;
  systemCode?: string;
  actualFingerprint?: string;
}): AftError {
  const fingerprint = context.actualFingerprint
    ? ` Its SHA-256 fingerprint is ${context.actualFingerprint}.`
    : '';
  return new AftError({
    code: 'tls-untrusted',
    details: {
      origin: context.origin,
      systemCode: context.systemCode,
      actualFingerprint: context.actualFingerprint,
    },
    message:
      `The AFT! server at ${context.origin} presented a certificate this machine does not trust ` +
      `(${context.systemCode ?? 'unknown issuer'}); nothing was sent.${fingerprint} If it is your AFT! server's own ` +
      '(self-signed) certificate, check its fingerprint with the server administrator and trust it in this app.',
  });
}

export function certificateExpiredError(context: {
  origin: string;
  validTo?: string;
  systemCode?: string;
}): AftError {
  const when = context.validTo ? ` on ${context.validTo}` : '';
  return new AftError({
    code: 'tls-expired',
    details: {
      origin: context.origin,
      systemCode: context.systemCode,
      certificateValidTo: context.validTo,
    },
    message:
      `The certificate of the AFT! server at ${context.origin} expired${when} (or is not yet valid: ` +
      "check this machine's clock); nothing was sent. Ask the server administrator to renew it, then trust the new one.",
  });
}

export function certificateWrongHostError(context: {
  origin: string;
  host: string;
  names?: string[];
  systemCode?: string;
}): AftError {
  const names =
    context.names && context.names.length > 0
      ? ` It is issued for ${context.names.join(', ')}.`
      : '';
  return new AftError({
    code: 'tls-wrong-host',
    details: {
      origin: context.origin,
      systemCode: context.systemCode,
      certificateNames: context.names,
    },
    message:
      `The certificate of the AFT! server at ${context.origin} is not issued for "${context.host}"; nothing was sent.${names} ` +
      'Use the host name the certificate names, or trust this certificate explicitly.',
  });
}

/** Which Node network error codes mean "could not get there" and why. */
export function unreachableReasonFor(systemCode: string | undefined): UnreachableReason | null {
  switch (systemCode) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
    case 'EAI_NODATA':
      return 'dns';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
    case 'EADDRNOTAVAIL':
    case 'ETIMEDOUT':
      return 'network';
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
    case 'ERR_SSL_UNSUPPORTED_PROTOCOL':
    case 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION':
      return 'not-tls';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
    case 'ERR_SOCKET_CLOSED':
      return 'reset';
    default:
      return systemCode?.startsWith('ERR_SSL_') ? 'not-tls' : null;
  }
}
