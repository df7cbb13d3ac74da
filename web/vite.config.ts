/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// The workbench is served by `vigil serve` from web/dist; `npm run dev`
// proxies the API to a local `vigil serve --port 8080`.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // No inline script or style: everything is a file under /assets/.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
  worker: { format: 'es' },
  server: {
    proxy: { '/v1': 'http://127.0.0.1:8080', '/openapi.json': 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
