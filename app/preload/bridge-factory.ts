// Builds `window.aft` from the IPC contract: one method per request, one subscription per event,
// and nothing else (no generic invoke or send). It takes the transport as two functions, so the
// preload passes ipcRenderer-based ones and a test harness passes its own.
import {
  IPC_EVENT_NAMES,
  eventChannel,
  ipcRequests,
  requestChannel,
  type AftBridge,
  type IpcRequestName,
} from '../shared/ipc-contract.ts';

export interface BridgeTransport {
  invoke(channel: string, input: unknown): Promise<unknown>;
  /** Returns a function that removes the listener. */
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

export function createAftBridge(transport: BridgeTransport): AftBridge {
  const namespaces: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const name of Object.keys(ipcRequests) as IpcRequestName[]) {
    const dot = name.indexOf('.');
    const namespace = name.slice(0, dot);
    const method = name.slice(dot + 1);
    const channel = requestChannel(name);
    (namespaces[namespace] ??= {})[method] = (input) => transport.invoke(channel, input);
  }
  const events: Record<string, (listener: (payload: unknown) => void) => () => void> = {};
  for (const name of IPC_EVENT_NAMES) {
    const channel = eventChannel(name);
    events[name] = (listener) => transport.subscribe(channel, listener);
  }
  const bridge: Record<string, unknown> = { events: Object.freeze(events) };
  for (const [namespace, methods] of Object.entries(namespaces)) {
    bridge[namespace] = Object.freeze(methods);
  }
  return Object.freeze(bridge) as unknown as AftBridge;
}
