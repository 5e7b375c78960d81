/** Compose benchmark: compile time of No.201 (cold, warm median), sizes, personalise cost per recipient. */
import { createPersonalizer } from '../src/compose/personalize.ts';
import { compileIssue } from '../src/compose/render.ts';
import { loadIssue } from '../src/issue/load.ts';

const PUBLIC_URL = 'https://news.example.org';
const RECIPIENTS = 100_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const emit = (o: Record<string, unknown>) => console.log(JSON.stringify(o));

let t = performance.now();
const issue = await loadIssue('issues/201.json');
const compiled = await compileIssue(issue, { publicUrl: PUBLIC_URL });
const coldMs = performance.now() - t;
const warm: number[] = [];
for (let i = 0; i < 20; i++) {
  t = performance.now();
  await compileIssue(await loadIssue('issues/201.json'), { publicUrl: PUBLIC_URL });
  warm.push(performance.now() - t);
}
emit({
  name: 'compose-compile',
  issue: 201,
  cold_ms: +coldMs.toFixed(1),
  warm_median_ms: +median(warm).toFixed(1),
  html_bytes: Buffer.byteLength(compiled.html),
  text_bytes: Buffer.byteLength(compiled.text),
});

// V8 joins strings lazily (ropes); reading a character flattens a rope into one copied string, so both
// loops pay for a real copy of the whole HTML and neither is flattered by laziness.
const forReader = createPersonalizer(compiled);
let sink = 0;
const run = (fn: (i: number) => number) => {
  const start = performance.now();
  for (let i = 0; i < RECIPIENTS; i++) sink += fn(i);
  return ((performance.now() - start) * 1000) / RECIPIENTS;
};
const baselineUs = run((i) => `${compiled.html}${i}`.charCodeAt(100));
const personalizeUs = run((i) => {
  const m = forReader({
    unsubscribeUrl: `${PUBLIC_URL}/u/${i}.0.4f3a9c2e1b7d6a5f8e9c0b1a`,
    webUrl: `${PUBLIC_URL}/archive/201`,
    name: i % 3 === 0 ? '' : `読者${i}`,
  });
  return m.html.charCodeAt(100) + m.text.charCodeAt(100);
});
emit({
  name: 'compose-personalize',
  recipients: RECIPIENTS,
  us_per_recipient: +personalizeUs.toFixed(2),
  baseline: 'plain string copy of the same HTML',
  baseline_us: +baselineUs.toFixed(2),
  ratio: +(personalizeUs / baselineUs).toFixed(2),
  checksum: sink % 997,
});
