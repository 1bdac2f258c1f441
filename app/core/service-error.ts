// An error a service reports to the person, with a machine code the window can act on. The IPC
// layer passes code, message and per-field messages through unchanged.

export type ServiceErrorCode =
  | 'not-found'
  | 'invalid-input'
  | 'in-use'
  | 'duplicate'
  | 'no-api-key'
  | 'secrets-unavailable'
  | 'certificate-changed'
  | 'confirmation-required'
  | 'unsupported'
  | 'storage-failed';

export class ServiceError extends Error {
  override readonly name = 'ServiceError';

  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    /** Per-field messages, keyed by a dotted path of the request's input. */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

export function isServiceError(value: unknown): value is ServiceError {
  return value instanceof ServiceError;
}

export function notFound(what: string): ServiceError {
  return new ServiceError(
    'not-found',
    `${what} no longer exists: it may have been removed in another window. Reload the list.`,
  );
}
