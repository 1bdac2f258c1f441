// Builds the window's renderer. `base: './'` because Electron loads the built files from disk
// (file://), where absolute asset paths would point at the file system root.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Electron 45 ships a current Chromium: no legacy syntax or polyfills needed.
    target: 'chrome130',
    // The CSP forbids inline scripts: keep the module-preload helper out of the HTML.
    modulePreload: { polyfill: false },
  },
});
