import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The desk's web app: built into dist/desk at install time and served by `gazette server` at /desk. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/desk/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../../dist/desk', import.meta.url)),
    emptyOutDir: true,
    // Hashed names under assets/ are what the static handler caches for a year.
    assetsDir: 'assets',
    target: 'es2022',
  },
});
