/**
 * Subscriber store figures: a 100k-row CSV import (rows/s and peak RSS, against csv-parse alone
 * reading the same file), a re-import, an export, list paging, and Redis bytes per subscriber
 * (INFO used_memory before/after, and MEMORY USAGE of the keys). Uses its own key prefix and
 * deletes it at the end. Run: `npx tsx scripts/bench-subscribers.ts [rows]`.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { createRedis } from '../src/redis.ts';
import { exportSubscribers } from '../src/subscribers/files/export.ts';
import { importSubscribers } from '../src/subscribers/files/import.ts';
import { createSubscriberStore } from '../src/subscribers/subscriber-store.ts';

const emit = (o: Record<string, unknown>) => console.log(JSON.stringify(o));
const ROWS = Number(process.argv[2] ?? 100_000);
const FAMILY = ['Yamada', 'Sato', 'Kim', 'Lee', 'Park', 'Smith', 'Tanaka', 'Choi'];
const GIVEN = ['太郎', '花子', '민수', '지영', 'Anna', 'James', '健', '서연'];
const DOMAINS = ['example.co.jp', 'mail.example.kr', 'example.com', 'docomo.example.ne.jp'];
const LOCALES = ['ja', 'ko', 'en'];

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Writes a realistic CSV: BOM, mixed scripts, some quoted names with commas. */
async function writeCsv(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write('\uFEFFemail,name,locale\r\n');
  for (let i = 0; i < ROWS; i++) {
    const family = FAMILY[i % FAMILY.length] as string;
    const name =
      i % 5 === 0 ? `"${family}, ${GIVEN[i % GIVEN.length]}"` : `${family} ${GIVEN[(i * 7) % GIVEN.length]}`;
    const email = `${family.toLowerCase()}.${i}@${DOMAINS[i % DOMAINS.length]}`;
    if (!out.write(`${email},${name},${LOCALES[i % 3]}\r\n`)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
}

/**
 * Runs `fn`, sampling RSS every 10 ms; returns wall seconds, this process's CPU seconds (less
 * sensitive than wall time to other work on a shared machine) and the peak RSS in MB.
 */
async function measure<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; seconds: number; cpuSeconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const start = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    const used = process.cpuUsage(cpu);
    return {
      value,
      seconds: (performance.now() - start) / 1000,
      cpuSeconds: round((used.user + used.system) / 1e6, 2),
      peakRssMb: Math.round(peak / 1e5) / 10,
    };
  } finally {
    clearInterval(timer);
  }
}

const dir = await mkdtemp(join(tmpdir(), 'gazette-bench-'));
const file = join(dir, 'subscribers.csv');
const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
// As long as the default prefix "gazette", so that key sizes are those of a real install.
const prefix = `gzb${randomBytes(2).toString('hex')}`;
const subscribers = createSubscriberStore({ redis, prefix });
/** used_memory once Redis has finished freeing what UNLINK handed to its background thread. */
async function usedMemory(): Promise<number> {
  for (;;) {
    const info = await redis.info('memory');
    if (/lazyfree_pending_objects:0\b/.test(info)) return Number(/used_memory:(\d+)/.exec(info)?.[1]);
    await new Promise((r) => setTimeout(r, 50));
  }
}

try {
  await writeCsv(file);
  const options = {
    format: 'csv' as const,
    locale: 'ja' as const,
    resubscribe: false,
    by: 'cli:bench',
    wording: 'bench',
  };

  const baseline = await measure(async () => {
    let rows = 0;
    const parser = createReadStream(file).pipe(parse({ bom: true, columns: true, skip_empty_lines: true }));
    for await (const _ of parser) rows++;
    return rows;
  });
  const baselineRate = baseline.value / baseline.seconds;

  const before = await usedMemory();
  const first = await measure(() => importSubscribers(subscribers, createReadStream(file), options));
  const after = await usedMemory();
  if (first.value.added !== ROWS)
    throw new Error(`expected ${ROWS} added, got ${JSON.stringify(first.value)}`);
  const rate = ROWS / first.seconds;
  emit({
    name: 'subscribers-import',
    rows: ROWS,
    seconds: round(first.seconds, 2),
    cpuSeconds: first.cpuSeconds,
    rowsPerSec: round(rate),
    peakRssMb: first.peakRssMb,
    loadAverage: round(loadavg()[0] ?? 0, 2),
    baseline: {
      name: 'csv-parse alone, same file',
      rowsPerSec: round(baselineRate),
      peakRssMb: baseline.peakRssMb,
    },
    ratio: round(rate / baselineRate, 3),
  });

  const again = await measure(() => importSubscribers(subscribers, createReadStream(file), options));
  emit({
    name: 'subscribers-reimport',
    rows: ROWS,
    unchanged: again.value.unchanged,
    seconds: round(again.seconds, 2),
    cpuSeconds: again.cpuSeconds,
    rowsPerSec: round(ROWS / again.seconds),
    peakRssMb: again.peakRssMb,
  });

  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  const exported = await measure(() => exportSubscribers(subscribers, sink, { format: 'csv' }));
  emit({
    name: 'subscribers-export-csv',
    rows: exported.value,
    rowsPerSec: round(exported.value / exported.seconds),
  });

  const paged = await measure(async () => {
    let n = 0;
    for (let after = 0; ; ) {
      const ids = await subscribers.pageList('default', after, 500);
      if (ids.length === 0) return n;
      await subscribers.getMany(ids);
      await subscribers.areSuppressed(ids.map((id) => `x${id}@example.com`));
      n += ids.length;
      after = ids.at(-1) as number;
    }
  });
  emit({
    name: 'subscribers-page-list',
    note: 'pageList(500) + getMany + areSuppressed per page, as the sender does',
    rows: paged.value,
    rowsPerSec: round(paged.value / paged.seconds),
  });

  // MEMORY USAGE of every key the import made: records sampled, index buckets and the list in full.
  const sample = Array.from({ length: 1000 }, (_, i) => 1 + Math.floor((i * ROWS) / 1000));
  const recordBytes = await Promise.all(
    sample.map((id) => redis.memory('USAGE', subscribers.keys.record(id))),
  );
  const perRecord = recordBytes.reduce<number>((a, b) => a + (b ?? 0), 0) / sample.length;
  let indexBytes = 0;
  for (let bucket = 0; bucket < 4096; bucket++) {
    indexBytes += (await redis.memory('USAGE', `${prefix}:sub:email:${bucket}`)) ?? 0;
  }
  const listBytes = (await redis.memory('USAGE', subscribers.keys.list('default'))) ?? 0;
  emit({
    name: 'subscribers-redis-memory',
    subscribers: ROWS,
    bytesPerSubscriber: round((after - before) / ROWS, 1),
    method: 'INFO used_memory after minus before the first import (shared Redis: other clients add noise)',
    memoryUsage: {
      record: round(perRecord, 1),
      emailIndex: round(indexBytes / ROWS, 1),
      listBitmap: round(listBytes / ROWS, 2),
      total: round(perRecord + indexBytes / ROWS + listBytes / ROWS, 1),
    },
    target: 300,
  });
} finally {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
  await redis.quit();
  await rm(dir, { recursive: true, force: true });
}
