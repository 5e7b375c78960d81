import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const outDir = fileURLToPath(new URL('../../../dist/desk', import.meta.url));

/**
 * The API reference's browser bundle (Scalar's standalone file, a build-time dependency) beside the
 * app, so that `gazette server` serves it from dist/desk and installs nothing of Scalar's at run time.
 */
const apiReference: Plugin = {
  name: 'api-reference',
  closeBundle() {
    const bundle = new URL('./browser/standalone.js', import.meta.resolve('@scalar/api-reference'));
    copyFileSync(bundle, join(outDir, 'api-reference.js'));
  },
};

/** The desk's web app: built into dist/desk at install time and served by `gazette server` at /desk. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/desk/',
  plugins: [react(), apiReference],
  build: {
    outDir,
    emptyOutDir: true,
    // Hashed names under assets/ are what the static handler caches for a year.
    assetsDir: 'assets',
    target: 'es2022',
  },
});
