// Registers one handler per request of the IPC contract (never a generic channel), in the
// spirit of VS Code's validatedIpcMain: every call is checked for its sender (our own window,
// its main frame, our own origin), for its shape (exactly one argument that parses with the
// request's schema), and only then handed to the service. Every answer is an IpcResult, as a
// thrown error would reach the window flattened to a string.
import { z } from 'zod';
import {
  ipcRequests,
  requestChannel,
  type IpcError,
  type IpcOutput,
  type IpcParsedInput,
  type IpcRequestName,
  type IpcResult,
} from '../../shared/ipc-contract.ts';
import { isAftError } from '../aft/errors.ts';
import { isServiceError } from '../service-error.ts';

/** The part of Electron's IpcMainInvokeEvent the checks need. */
export interface IpcSenderEvent {
  sender: { id: number; mainFrame: unknown };
  senderFrame: { url: string } | null;
}

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export type IpcHandlers = {
  [N in IpcRequestName]: (input: IpcParsedInput<N>) => Promise<IpcOutput<N>>;
};

export interface RegisterIpcOptions {
  /** Writes to the app's log. */
  log?: (message: string) => void;
  /** Blanks out known secrets in error text, before it is logged or answered (the facade's redactor). */
  redact?: (text: string) => string;
}

export const GENERIC_ERROR_MESSAGE =
  'Something went wrong inside AFT! Launcher. Nothing was changed by this request; the details were written to the log.';

function fieldKey(path: readonly PropertyKey[]): string {
  return path.length > 0 ? path.map(String).join('.') : '(input)';
}

export function invalidInputError(error: z.ZodError): IpcError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = fieldKey(issue.path);
    fields[key] ??= issue.message;
  }
  return {
    code: 'invalid-input',
    message: `The request was not valid: ${Object.entries(fields)
      .slice(0, 3)
      .map(([key, message]) => `${key}: ${message}`)
      .join('; ')}`,
    fields,
  };
}

/** The answer for an error a handler threw. */
export function errorResult(
  error: unknown,
  options: RegisterIpcOptions,
  channel: string,
): { ok: false; error: IpcError } {
  const redact = options.redact ?? ((text: string) => text);
  if (isServiceError(error)) {
    const described: IpcError = { code: error.code, message: redact(error.message) };
    if (error.fields) described.fields = error.fields;
    return { ok: false, error: described };
  }
  if (isAftError(error)) {
    const described: IpcError = { code: error.code, message: redact(error.message) };
    const details: Record<string, string | number | boolean> = {};
    for (const [key, value] of Object.entries(error.details ?? {})) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        details[key] = value;
      }
    }
    if (error.status !== undefined) details.status = error.status;
    if (Object.keys(details).length > 0) described.details = details;
    return { ok: false, error: described };
  }
  if (error instanceof z.ZodError) return { ok: false, error: invalidInputError(error) };
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  (options.log ?? console.error)(redact(`IPC request ${channel} failed: ${text}`));
  return { ok: false, error: { code: 'internal', message: GENERIC_ERROR_MESSAGE } };
}

const FORBIDDEN: IpcResult<never> = {
  ok: false,
  error: {
    code: 'forbidden-sender',
    message: 'This request did not come from the AFT! Launcher window, so it was refused.',
  },
};

/**
 * Registers exactly the contract's channels; returns a function that removes them again.
 */
export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  handlers: IpcHandlers,
  isTrustedSender: (event: IpcSenderEvent) => boolean,
  options: RegisterIpcOptions = {},
): () => void {
  const names = Object.keys(ipcRequests) as IpcRequestName[];
  for (const name of names) {
    const channel = requestChannel(name);
    const schema = ipcRequests[name].input as z.ZodType;
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    ipcMain.handle(channel, async (event, ...args): Promise<IpcResult<unknown>> => {
      let trusted = false;
      try {
        trusted = isTrustedSender(event);
      } catch {
        trusted = false;
      }
      if (!trusted) return FORBIDDEN;
      if (args.length !== 1) {
        return {
          ok: false,
          error: {
            code: 'invalid-input',
            message: `The request ${name} takes exactly one argument (got ${args.length}).`,
            fields: { '(input)': 'Exactly one argument is expected.' },
          },
        };
      }
      const parsed = schema.safeParse(args[0]);
      if (!parsed.success) return { ok: false, error: invalidInputError(parsed.error) };
      try {
        return { ok: true, value: await handler(parsed.data) };
      } catch (error) {
        return errorResult(error, options, channel);
      }
    });
  }
  return () => {
    for (const name of names) ipcMain.removeHandler(requestChannel(name));
  };
}

/** `scheme://host[:port]` of a URL, also for file: and custom schemes (whose URL.origin is "null"). */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return undefined;
  }
}

export interface TrustedSenderOptions {
  /** The webContents IDs of the app's own windows. */
  trustedWebContentsIds: () => ReadonlySet<number>;
  /**
   * The origin the window's page is loaded from: `file://` for a packaged file, `app://<host>`
   * for a custom scheme, or the dev server's `http://localhost:5173`.
   */
  appOrigin: string;
}

/** A request is trusted only from one of our windows, from its main frame, at our origin. */
export function createTrustedSenderCheck(
  options: TrustedSenderOptions,
): (event: IpcSenderEvent) => boolean {
  const expectedOrigin = originOf(options.appOrigin) ?? options.appOrigin;
  return (event) => {
    if (!options.trustedWebContentsIds().has(event.sender.id)) return false;
    const frame = event.senderFrame;
    if (frame === null || frame !== event.sender.mainFrame) return false;
    return originOf(frame.url) === expectedOrigin;
  };
}
