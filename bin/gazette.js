#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` runs through `prepare`), so
// that a command starts in a fraction of a second instead of compiling TypeScript at every start.
// From a checkout, `npm run gazette -- …` runs the TypeScript sources directly.
try {
  await import('../dist/src/cli.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/src/cli.js')) throw err;
  console.error('gazette: the compiled CLI is missing; run `npm run build` (npm ci runs it for you).');
  process.exitCode = 1;
}
