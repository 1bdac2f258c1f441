import { describe, expect, it } from 'vitest';
import { createAftBridge } from '../../../app/preload/bridge-factory.ts';
import {
  IPC_EVENT_NAMES,
  eventChannel,
  ipcRequests,
  requestChannel,
  type IpcRequestName,
} from '../../../app/shared/ipc-contract.ts';

function recordingTransport() {
  const invoked: { channel: string; input: unknown }[] = [];
  const listeners = new Map<string, ((payload: unknown) => void)[]>();
  return {
    invoked,
    listeners,
    transport: {
      invoke: async (channel: string, input: unknown) => {
        invoked.push({ channel, input });
        return { ok: true, value: channel };
      },
      subscribe: (channel: string, listener: (payload: unknown) => void) => {
        listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
        return () =>
          listeners.set(
            channel,
            (listeners.get(channel) ?? []).filter((l) => l !== listener),
          );
      },
    },
  };
}

const names = Object.keys(ipcRequests) as IpcRequestName[];

describe('createAftBridge', () => {
  it.each(names)(
    '%s is reachable and goes to its own channel with the input unchanged',
    async (name) => {
      const { transport, invoked } = recordingTransport();
      const bridge = createAftBridge(transport) as unknown as Record<
        string,
        Record<string, (input: unknown) => Promise<unknown>>
      >;
      const [namespace, method] = name.split('.') as [string, string];
      const input = { probe: name };
      await expect(bridge[namespace]![method]!(input)).resolves.toEqual({
        ok: true,
        value: requestChannel(name),
      });
      expect(invoked).toEqual([{ channel: requestChannel(name), input }]);
    },
  );

  it('exposes the contract and nothing else: no generic invoke or send', () => {
    const bridge = createAftBridge(recordingTransport().transport) as unknown as Record<
      string,
      Record<string, unknown>
    >;
    const exposed = Object.entries(bridge).flatMap(([namespace, members]) =>
      namespace === 'events' ? [] : Object.keys(members).map((method) => `${namespace}.${method}`),
    );
    expect(exposed.sort()).toEqual([...names].sort());
    expect(Object.keys(bridge.events!).sort()).toEqual([...IPC_EVENT_NAMES].sort());
    for (const forbidden of ['invoke', 'send', 'on', 'ipcRenderer'])
      expect(bridge).not.toHaveProperty(forbidden);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.servers)).toBe(true);
    expect(() => {
      (bridge as Record<string, unknown>).invoke = () => undefined;
    }).toThrow();
  });

  it.each([...IPC_EVENT_NAMES])('event %s subscribes to its channel and unsubscribes', (name) => {
    const { transport, listeners } = recordingTransport();
    const bridge = createAftBridge(transport);
    const received: unknown[] = [];
    const unsubscribe = bridge.events[name]((payload) => received.push(payload));
    listeners.get(eventChannel(name))!.forEach((listener) => listener('payload'));
    expect(received).toEqual(['payload']);
    unsubscribe();
    expect(listeners.get(eventChannel(name))).toEqual([]);
  });
});
