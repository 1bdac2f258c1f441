// The window's only way to reach main: `window.aft`, built by the preload from the IPC contract.
// Answers arrive as IpcResult values; `call` turns a refusal into a thrown BridgeError so that
// screens can handle "it worked" and "it did not" in one place each.
import type { AftBridge, IpcError, IpcResult } from '../../app/shared/ipc-contract.ts';

declare global {
  interface Window {
    aft: AftBridge;
  }
}

export function aft(): AftBridge {
  return window.aft;
}

export class BridgeError extends Error {
  readonly code: string;
  readonly fields: Record<string, string>;
  readonly details: Record<string, string | number | boolean>;

  constructor(error: IpcError) {
    super(error.message);
    this.name = 'BridgeError';
    this.code = error.code;
    this.fields = error.fields ?? {};
    this.details = error.details ?? {};
  }
}

export async function call<T>(answer: Promise<IpcResult<T>>): Promise<T> {
  const result = await answer;
  if (result.ok) return result.value;
  throw new BridgeError(result.error);
}

/** The message to show for anything a call threw. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Puts text on the clipboard through main: the window itself has no clipboard permission. */
export function copyText(text: string): Promise<null> {
  return call(aft().app.copyText({ text }));
}

export function copyFailedMessage(error: unknown): string {
  return `Could not copy (${messageOf(error)}). Select the text and copy it with Ctrl+C.`;
}
