import { defineConfig } from 'vite';

// The console is built into dist/console, which the tier app serves at /console (apps/tier/src/console).
// `npm run console:dev` serves it for development, the APIs proxied to a tier
// app on TIER_URL (default: the local stack's).
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../../dist/console',
    emptyOutDir: true,
    target: 'es2022',
    // Everything is a file of our own origin: the Content-Security-Policy allows no data: URLs or inline code.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  server: {
    proxy: { '/v1': process.env.TIER_URL ?? 'http://127.0.0.1:3003' },
  },
});
