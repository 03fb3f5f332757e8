import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// Built into dist/console, which the api role serves at /console (src/infrastructure/http/console-assets.ts).
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [preact()],
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    // No inline script of any kind: the console's CSP allows scripts from 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // dist/console/.vite/manifest.json names the hashed stylesheet, which the hosted pages link as well
    // (src/infrastructure/http/console-assets.ts).
    manifest: true,
    target: 'es2022',
  },
});
