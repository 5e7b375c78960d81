/**
 * Runs every benchmark (scripts/bench-*.ts) one after another, each in its own process so that one's
 * heap and JIT state never colour another's figures. `npm run bench -- compose send` runs only those;
 * arguments starting with `--` go to each of them (`npm run bench -- send --million`).
 * Each prints one JSON object per line: name, figures, and baseline/ratio where there is one.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const benches = readdirSync(dir)
  .filter((f) => /^bench-[\w-]+\.ts$/.test(f))
  .filter((f) => only.length === 0 || only.some((name) => f === `bench-${name}.ts`))
  .sort();

let failed = 0;
for (const file of benches) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(dir, file), ...flags], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    failed++;
    console.error(`${file} failed (exit ${run.status})`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
