// The registry this project's machines reach lacks some platform-specific optional packages (biome's and
// msgpackr-extract's builds for macOS and Windows), so `npm install` leaves them out of package-lock.json
// and `npm ci` then refuses the lock as out of sync. This adds a version-only entry for each optional
// dependency the lock does not list; npm skips them on this platform, and elsewhere fetches them as usual.
// Idempotent: run it after any `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
let added = 0;
for (const entry of Object.values(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key]) continue;
    lock.packages[key] = { version, ...(entry.dev ? { dev: true } : {}), optional: true };
    added++;
  }
}
if (added > 0) writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock: ${added} platform stub(s) added`);
