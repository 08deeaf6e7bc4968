import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs let the same build load from file:// in Electron and from the loopback host.
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // antd and the bundled CJK font are large by nature; the app is loaded locally, never over a network.
    chunkSizeWarningLimit: 4000,
  },
});
