// The sandboxed preload: exposes `window.aft`, built from the IPC contract by the shared
// factory, and nothing else. ipcRenderer itself never reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createAftBridge } from './bridge-factory.ts';

contextBridge.exposeInMainWorld(
  'aft',
  createAftBridge({
    invoke: (channel, input) => ipcRenderer.invoke(channel, input),
    subscribe: (channel, listener) => {
      const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, handler);
      return () => {
        ipcRenderer.removeListener(channel, handler);
      };
    },
  }),
);
