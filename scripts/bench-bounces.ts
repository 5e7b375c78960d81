/**
 * Bounce classifier throughput over the fixture set, against mailparser's simpleParser alone on the same
 * messages with the same options (the part of the work that is not ours). Prints one JSON line.
 * Usage: npx tsx scripts/bench-bounces.ts [seconds per side, default 3]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { classifyBounce } from '../src/bounces/classify/classifier-api.ts';
import { PARSER_OPTIONS } from '../src/bounces/classify/read-message.ts';

const DIR = join(import.meta.dirname, '../test/fixtures/bounces');
const messages = readdirSync(DIR)
  .filter((f) => f.endsWith('.eml'))
  .sort()
  .map((f) => readFileSync(join(DIR, f)));
const seconds = Number(process.argv[2] ?? 3);
const ROUNDS = 3;

/** Runs `work` over the whole set again and again for `ms`; returns messages done and time taken. */
async function measure(
  work: (raw: Buffer) => Promise<unknown>,
  ms: number,
): Promise<{ n: number; ns: bigint }> {
  let n = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(Math.round(ms * 1e6));
  do {
    for (const raw of messages) await work(raw);
    n += messages.length;
  } while (process.hrtime.bigint() < until);
  return { n, ns: process.hrtime.bigint() - start };
}

const ours = (raw: Buffer) => classifyBounce(raw);
const parserAlone = (raw: Buffer) => simpleParser(raw, PARSER_OPTIONS);
const parserDefaults = (raw: Buffer) => simpleParser(raw);

// Warm up both paths (JIT, lazy requires) before timing anything.
await measure(ours, 300);
await measure(parserAlone, 300);

// Interleave the sides so that load from other processes on this shared machine hits both alike.
const totals = { ours: { n: 0, ns: 0n }, base: { n: 0, ns: 0n } };
for (let round = 0; round < ROUNDS; round++) {
  for (const [side, work] of [
    ['base', parserAlone],
    ['ours', ours],
  ] as const) {
    const r = await measure(work, (seconds * 1000) / ROUNDS);
    totals[side].n += r.n;
    totals[side].ns += r.ns;
  }
}
const defaults = await measure(parserDefaults, 1000);

const perSec = (t: { n: number; ns: bigint }) => Math.round((t.n * 1e9) / Number(t.ns));
const usPer = (t: { n: number; ns: bigint }) => Math.round(Number(t.ns) / t.n / 10) / 100;
console.log(
  JSON.stringify({
    name: 'bounce-classify',
    fixtures: messages.length,
    messages: totals.ours.n,
    msgPerSec: perSec(totals.ours),
    usPerMsg: usPer(totals.ours),
    baseline: {
      name: 'mailparser simpleParser alone, same options',
      messages: totals.base.n,
      msgPerSec: perSec(totals.base),
      usPerMsg: usPer(totals.base),
    },
    // Time per message, ours over the baseline: 1.0 would mean classifying costs nothing beyond parsing.
    ratio: Math.round((usPer(totals.ours) / usPer(totals.base)) * 100) / 100,
    simpleParserDefaultOptionsMsgPerSec: perSec(defaults),
  }),
);
