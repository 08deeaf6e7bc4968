import { contextBridge, ipcRenderer } from 'electron';

// The renderer gets exactly one function: a contract call. No Node, no ipcRenderer.
contextBridge.exposeInMainWorld('sealCounter', {
  call: (name: string, request: unknown) => ipcRenderer.invoke('seal-counter:call', name, request),
});
