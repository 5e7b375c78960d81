/**
 * Send benchmark: issue No.201 delivered to 10k and 100k recipients through the whole pipeline
 * (Redis, BullMQ, a worker process, personalisation, nodemailer pool) into a local smtp-server sink
 * that accepts everything, with three baselines on the same sink and number of connections:
 * naive (nodemailer builds every message), practical (one MIME message built once, values spliced,
 * nodemailer pool) and the sink limit (a bare pipelined SMTP client writing the same bytes).
 * Prints one JSON object per line. The baselines' rate is flat in the number of messages, so they run
 * in short interleaved rounds (the median counts), which a shared machine's load disturbs least.
 * At the first size, the same list gets No.201 in one edition and in one edition per locale (readers'
 * locales spread over them): compiled once per edition, the rate should not move (issue 20).
 * `--profile` adds a profiled run of one worker (node --cpu-prof) and prints where its time goes
 * (V8 inlines nodemailer's DataStream._transform, its dot-stuffing loop, into Transform._write).
 * `--million` (not in the suite: it takes many minutes and some 600 MB of Redis) is the scale run
 * instead: 10k then 1M readers imported through the CSV import, each list sent by two worker
 * processes, with import time, Redis bytes per subscriber and per send (INFO used_memory deltas and
 * MEMORY USAGE of the send's keys), the workers' peak RSS, messages/s from start to `done`, and the
 * per-message cost at the large size against the small (`--sizes=10000,200000` for a shorter one).
 * It reads the Redis settings the normal way (REDIS_URL, or the sentinels): point it at a Redis of
 * its own, so that nobody else's writes colour the INFO deltas.
 * Run alone: `node --import tsx scripts/bench-send.ts [--profile] [--million] [--sizes=10000,100000]`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import { bounceStoreOf } from '../src/bounces/policy.ts';
import { createPersonalizer } from '../src/compose/personalize.ts';
import { compileIssue } from '../src/compose/render.ts';
import { loadConfig } from '../src/config.ts';
import { loadIssue } from '../src/issue/load.ts';
import { LOCALES } from '../src/issue/schema.ts';
import { queuePrefix } from '../src/queue-names.ts';
import { type AnyRedis, connectRedis, deleteKeys, isCluster, scanTargets } from '../src/redis.ts';
import { createSend } from '../src/send/control/schedule.ts';
import { createQueues } from '../src/send/jobs/queues.ts';
import { buildMessageTemplate, type RenderedMessage } from '../src/send/message/message-template.ts';
import { clickLinks, recipientLinks } from '../src/send/message/recipient-links.ts';
import { messageMaker } from '../src/send/message/send-context.ts';
import { createSendStore } from '../src/send/record/send-store.ts';
import { poolOptions } from '../src/send/wire/transport.ts';
import { importSubscribers } from '../src/subscribers/files/import.ts';
import { createSubscriberStore } from '../src/subscribers/subscriber-store.ts';
import { startTestSink } from '../test/helpers/smtp-sink.ts';

/** `--sizes=2000,5000` for a quick look; the figures that matter are at 10k and 100k. */
const MILLION = process.argv.includes('--million');
const SIZES = (
  /--sizes=([\d,]+)/.exec(process.argv.join(' '))?.[1] ?? (MILLION ? '10000,1000000' : '10000,100000')
)
  .split(',')
  .map(Number);
const CONNECTIONS = 6;
const IN_FLIGHT = 2 * CONNECTIONS;
/** Baseline rounds: practical runs PER_ROUND messages a round, naive half as many. */
const ROUNDS = 4;
const PER_ROUND = 2000;
const emit = (o: Record<string, unknown>) => console.log(JSON.stringify(o));
const round = (n: number, d = 0) => Number(n.toFixed(d));

/** Every child this bench started; killed when it exits, however it exits. */
const started: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
});

function startChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = ready.exec(out);
      if (match) resolve({ child, line: match[0] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`)));
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return round(Number(kb) / 1024, 1);
}

function peakRssMb(pid: number): number {
  const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return round(Number(kb) / 1024, 1);
}

/** Runs `send(i)` for i < n with `inFlight` at once; returns messages/s and the bench process's CPU µs per message. */
async function loop(n: number, inFlight: number, send: (i: number) => Promise<unknown>) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) await send(next++);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { msg_per_s: round(n / seconds), cpu_us_per_msg: round((used.user + used.system) / n) };
}

/**
 * A bare SMTP client using PIPELINING (RFC 2920): MAIL, RCPT and DATA go out together, and each
 * message's body leaves with the next message's envelope. Resolves once QUIT is answered.
 */
function bareClient(port: number, messages: RenderedMessage[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const envelope = (m: RenderedMessage) =>
      `MAIL FROM:<${m.envelope.from}>\r\nRCPT TO:<${m.envelope.to[0]}>\r\nDATA\r\n`;
    let buffer = '';
    let greeted = false;
    let next = 0;
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const code = Number(line.slice(0, 3));
        if (code >= 400) return reject(new Error(`sink answered ${line}`));
        if (line[3] === '-') continue;
        if (code === 220 && !greeted) {
          greeted = true;
          socket.write(`EHLO bench\r\n${envelope(messages[0] as RenderedMessage)}`);
        } else if (code === 354) {
          const after = messages[next + 1];
          socket.write(stuff((messages[next] as RenderedMessage).raw));
          socket.write(after ? `.\r\n${envelope(after)}` : '.\r\nQUIT\r\n');
          next++;
        } else if (code === 221) {
          socket.end();
          resolve();
        }
      }
    });
    socket.on('error', reject);
  });
}

/** Dot-stuffing (RFC 5321 4.5.2), only copying when a line starts with a dot. */
function stuff(raw: Buffer): Buffer {
  if (raw[0] !== 0x2e && raw.indexOf('\n.') < 0) return raw;
  return Buffer.from(raw.toString('latin1').replace(/^\./, '..').replace(/\n\./g, '\n..'), 'latin1');
}

/** The median of some figures. */
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** What the baselines need: the sink, the config and one prebuilt template. */
interface BaselineContext {
  sinkPort: number;
  sinkUrl: string;
  config: ReturnType<typeof loadConfig>;
  compiled: Awaited<ReturnType<typeof compileIssue>>;
  person: (i: number) => { id: number; email: string; name: string };
}

/**
 * The baselines, in short interleaved rounds (practical, naive, practical, naive…) so that the load
 * of a shared machine falls on each alike; each figure is the median of its rounds.
 */
async function baselines(b: BaselineContext, rounds: number, perRound: number) {
  const template = buildMessageTemplate(b.compiled, {
    from: b.config.MAIL_FROM,
    list: 'bench',
    sendId: 'sbench',
  });
  const messageFor = messageMaker(b.config, {
    record: { id: 'sbench', issue: 201 },
    compiled: b.compiled,
    template,
  });
  const personalize = createPersonalizer(b.compiled);
  const clicks = b.compiled.tracked ? clickLinks(b.config, 'sbench', b.compiled) : null;
  const transport = nodemailer.createTransport(poolOptions(b.config, b.sinkUrl));
  const practical: { msg_per_s: number; cpu_us_per_msg: number }[] = [];
  const naive: { msg_per_s: number; cpu_us_per_msg: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    practical.push(
      await loop(perRound, IN_FLIGHT, (i) => {
        const msg = messageFor(b.person(i));
        return transport.sendMail({ raw: msg.raw, envelope: msg.envelope, messageId: msg.messageId });
      }),
    );
    naive.push(
      await loop(Math.ceil(perRound / 2), IN_FLIGHT, (i) => {
        const p = b.person(i);
        const links = recipientLinks(b.config, 'sbench', p.id, 201);
        const body = personalize({
          unsubscribeUrl: links.unsubscribeUrl,
          webUrl: links.webUrl,
          name: p.name,
          links: clicks?.(p.id),
        });
        return transport.sendMail({
          from: b.config.MAIL_FROM,
          to: { name: p.name, address: p.email },
          subject: b.compiled.subject,
          html: body.html,
          text: body.text,
          envelope: { from: links.returnPath, to: [p.email] },
          headers: {
            'List-Unsubscribe': `<${links.unsubscribeUrl}>, <${links.unsubscribeMailto}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        });
      }),
    );
  }
  transport.close();
  const messages = Array.from({ length: 5000 }, (_, i) => messageFor(b.person(i)));
  const lanes = Array.from({ length: CONNECTIONS }, (_, c) =>
    messages.filter((_, i) => i % CONNECTIONS === c),
  );
  const start = performance.now();
  await Promise.all(lanes.map((lane) => bareClient(b.sinkPort, lane)));
  return { practical, naive, sinkLimit: round(messages.length / ((performance.now() - start) / 1000)) };
}

/** The median figures of some rounds, and each round's rate. */
function summary(runs: { msg_per_s: number; cpu_us_per_msg: number }[]) {
  return {
    msg_per_s: median(runs.map((r) => r.msg_per_s)),
    cpu_us_per_msg: median(runs.map((r) => r.cpu_us_per_msg)),
    rounds: runs.map((r) => r.msg_per_s),
  };
}

async function main(): Promise<void> {
  const profile = process.argv.includes('--profile');
  const sink = await startChild([import.meta.filename, '--sink'], {}, /\{"port":\d+\}/);
  const sinkPort = (JSON.parse(sink.line) as { port: number }).port;
  const sinkUrl = `smtp://127.0.0.1:${sinkPort}`;
  const prefix = `gzbench-${randomBytes(3).toString('hex')}`;
  const env = {
    REDIS_PREFIX: prefix,
    SMTP_URL: sinkUrl,
    SMTP_MAX_CONNECTIONS: String(CONNECTIONS),
    GAZETTE_SECRET: randomBytes(24).toString('hex'),
    MAIL_FROM: 'I · SEOUL · U <news@gazette.example>',
    PUBLIC_URL: 'https://gazette.example',
    BOUNCE_DOMAIN: 'bounce.gazette.example',
  };
  const config = loadConfig({ ...process.env, ...env });
  const redis = connectRedis(config);
  const sends = createSendStore({ redis, prefix, bounces: bounceStoreOf(redis, config) });
  const subscribers = createSubscriberStore({ redis, prefix });
  const queues = createQueues(config);
  // Click tracking as the product does it by default (TRACKING): every baseline signs the same links.
  const compiled = await compileIssue(await loadIssue('issues/201.json'), {
    publicUrl: config.PUBLIC_URL,
    tracking: config.TRACKING,
  });
  const person = (i: number) => ({
    id: i + 1,
    email: `reader${i}@bench.example`,
    name: i % 3 ? `読者 ${i}` : '',
  });
  const stop = () => process.exit(130);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (MILLION) {
    try {
      await scaleRun({ env, sends, queues, subscribers, config, redis });
    } finally {
      await queues.close();
      await deleteKeys(redis, `${prefix}:*`);
      await redis.quit();
      sink.child.kill();
    }
    return;
  }
  try {
    let added = 0;
    for (const n of SIZES) {
      for (; added < n; added += 1000) {
        const rows = Array.from({ length: 1000 }, (_, k) => ({
          ...person(added + k),
          locale: LOCALES[(added + k) % LOCALES.length] as (typeof LOCALES)[number],
          status: 'active' as const,
          lists: ['bench'],
        }));
        await subscribers.createMany(rows);
      }
      // Baseline rounds before and after the pipeline runs, so that a change in the machine's load
      // during the pipeline weighs on both sides.
      const context = { sinkPort, sinkUrl, config, compiled, person };
      const before = await baselines(context, ROUNDS / 2, PER_ROUND);
      const runs = [];
      for (const workers of n === SIZES[0] ? [1, 2] : [1]) {
        runs.push({
          workers,
          ...(await runPipeline(n, workers, { env, sends, queues, subscribers, config })),
        });
      }
      const after = await baselines(context, ROUNDS / 2, PER_ROUND);
      const practical = summary([...before.practical, ...after.practical]);
      const naive = summary([...before.naive, ...after.naive]);
      const sinkLimit = Math.max(before.sinkLimit, after.sinkLimit);
      const common = { connections: CONNECTIONS, click_tracking: compiled.tracked };
      emit({ name: 'send-baseline-practical', ...common, per_round: PER_ROUND, ...practical });
      emit({ name: 'send-baseline-naive', ...common, per_round: PER_ROUND / 2, ...naive });
      emit({
        name: 'send-baseline-sink-limit',
        connections: CONNECTIONS,
        recipients: 5000,
        msg_per_s: sinkLimit,
      });
      for (const pipeline of runs) {
        emit({
          name: `send-pipeline-${pipeline.workers}-worker${pipeline.workers > 1 ? 's' : ''}`,
          recipients: n,
          ...common,
          ...pipeline,
          baseline: 'send-baseline-practical',
          ratio: round(pipeline.msg_per_s / practical.msg_per_s, 2),
          ratio_vs_naive: round(pipeline.msg_per_s / naive.msg_per_s, 2),
          ratio_vs_sink_limit: round(pipeline.msg_per_s / sinkLimit, 2),
          cpu_ratio_vs_practical: round(pipeline.cpu_us_per_msg / practical.cpu_us_per_msg, 2),
        });
      }
      if (n === SIZES[0]) {
        // One edition and every locale's, back to back on one worker, so that the machine's load weighs on both.
        const deps = { env, sends, queues, subscribers, config };
        const one = await runPipeline(n, 1, deps);
        const many = await runPipeline(n, 1, { ...deps, issueFile: editionsOf201() });
        emit({
          name: 'send-pipeline-editions',
          recipients: n,
          editions: LOCALES.length,
          ...common,
          ...many,
          baseline: 'send-pipeline-1-edition',
          baseline_msg_per_s: one.msg_per_s,
          ratio: round(many.msg_per_s / one.msg_per_s, 2),
          cpu_ratio: round(many.cpu_us_per_msg / one.cpu_us_per_msg, 2),
        });
      }
      // The profiler slows the worker down, so it watches an extra run that no figure above comes from.
      if (profile && n === SIZES[0])
        await runPipeline(n, 1, { env, sends, queues, subscribers, config, profile });
    }
  } finally {
    await queues.close();
    await deleteKeys(redis, `${prefix}:*`);
    await redis.quit();
    sink.child.kill();
  }
}

/** A CSV file of readers `from` to `to` - 1, header first, for the import. */
function* csvRows(from: number, to: number): Generator<string> {
  yield 'email,name,locale,lists\r\n';
  for (let i = from; i < to; i++) {
    yield `reader${i}@bench.example,${i % 3 ? `読者 ${i}` : ''},${LOCALES[i % LOCALES.length]},bench\r\n`;
  }
}

/** Redis's used_memory (summed over the masters of a cluster) once the background threads have freed what UNLINK handed them. */
async function usedMemory(redis: AnyRedis): Promise<number> {
  const nodes = isCluster(redis) ? redis.nodes('master') : [redis];
  const each = async (node: (typeof nodes)[number]) => {
    for (;;) {
      const info = await node.info('memory');
      if (/lazyfree_pending_objects:0\b/.test(info)) return Number(/used_memory:(\d+)/.exec(info)?.[1]);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const used = await Promise.all(nodes.map(each));
  return used.reduce((a, b) => a + b, 0);
}

/**
 * `--million`: for each size, imports the readers up to it through the CSV import (timed, with the
 * INFO delta per subscriber), then sends the list with two workers (INFO delta per send and per
 * recipient besides runPipeline's figures); at the end, the largest size's costs against the first's.
 */
async function scaleRun(deps: {
  env: Record<string, string>;
  sends: ReturnType<typeof createSendStore>;
  queues: ReturnType<typeof createQueues>;
  subscribers: ReturnType<typeof createSubscriberStore>;
  config: ReturnType<typeof loadConfig>;
  redis: AnyRedis;
}): Promise<void> {
  const options = {
    format: 'csv' as const,
    locale: 'ja' as const,
    resubscribe: false,
    by: 'cli:bench',
    wording: 'bench',
  };
  const runs: {
    n: number;
    cpu_us_per_msg: number;
    e2e_ms_per_msg: number;
    redis_bytes_per_recipient: number;
  }[] = [];
  let imported = 0;
  for (const n of SIZES) {
    const memoryBefore = await usedMemory(deps.redis);
    const importStart = performance.now();
    const result = await importSubscribers(deps.subscribers, Readable.from(csvRows(imported, n)), options);
    const importSeconds = (performance.now() - importStart) / 1000;
    const importBytes = (await usedMemory(deps.redis)) - memoryBefore;
    if (result.added !== n - imported) throw new Error(`import added ${result.added}, not ${n - imported}`);
    emit({
      name: 'scale-import',
      readers: n,
      rows: n - imported,
      seconds: round(importSeconds, 1),
      rows_per_s: round((n - imported) / importSeconds),
      redis_bytes_per_subscriber: round(importBytes / (n - imported), 1),
    });
    imported = n;
    const sendBefore = await usedMemory(deps.redis);
    const run = await runPipeline(n, 2, deps);
    const sendBytes = (await usedMemory(deps.redis)) - sendBefore;
    const e2eMsPerMsg = (run.e2e_s * 1000) / n;
    emit({
      name: 'scale-send-2-workers',
      readers: n,
      ...run,
      e2e_ms_per_msg: round(e2eMsPerMsg, 3),
      redis_info_bytes_per_send: sendBytes,
      redis_info_bytes_per_recipient: round(sendBytes / n, 2),
    });
    runs.push({
      n,
      cpu_us_per_msg: run.cpu_us_per_msg,
      e2e_ms_per_msg: e2eMsPerMsg,
      redis_bytes_per_recipient: run.redis_bytes_per_recipient,
    });
  }
  const [small, large] = [runs[0], runs.at(-1)];
  if (small && large && small !== large) {
    emit({
      name: 'scale-per-message-cost',
      small: small.n,
      large: large.n,
      baseline: `scale-send-2-workers at ${small.n}`,
      cpu_ratio: round(large.cpu_us_per_msg / small.cpu_us_per_msg, 2),
      e2e_ratio: round(large.e2e_ms_per_msg / small.e2e_ms_per_msg, 2),
      redis_bytes_per_recipient_ratio: round(
        large.redis_bytes_per_recipient / small.redis_bytes_per_recipient,
        2,
      ),
    });
  }
}

/** One send of the whole list through `workers` worker processes sharing CONNECTIONS; the figures of that run. */
async function runPipeline(
  n: number,
  workers: number,
  deps: {
    env: Record<string, string>;
    sends: ReturnType<typeof createSendStore>;
    queues: ReturnType<typeof createQueues>;
    subscribers: ReturnType<typeof createSubscriberStore>;
    config: ReturnType<typeof loadConfig>;
    profile?: boolean;
    /** The default edition's file (default: issues/201.json); its editions beside it go too. */
    issueFile?: string;
  },
) {
  const profDir = deps.profile ? mkdtempSync(join(tmpdir(), 'gazette-prof-')) : null;
  const env = { ...deps.env, SMTP_MAX_CONNECTIONS: String(Math.ceil(CONNECTIONS / workers)) };
  const children = await Promise.all(
    Array.from({ length: workers }, (_, k) =>
      startChild(
        [...(profDir && k === 0 ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), 'workers/index.ts'],
        env,
        / ready: /,
      ),
    ),
  );
  const pids = children.map((c) => c.child.pid as number);
  const cpuBefore = pids.map(cpuSeconds);
  const start = performance.now();
  // Every run sends No.201 to the same list again, on purpose: a measurement, not a second issue.
  const issueFile = deps.issueFile ?? 'issues/201.json';
  const send = await createSend(deps, { issueFile, list: 'bench', resend: true });
  let told = performance.now();
  while ((await deps.sends.state(send.id)) !== 'done') {
    await new Promise((r) => setTimeout(r, 100));
    // The scale run takes many minutes: a line on stderr each minute says how far it is.
    if (MILLION && performance.now() - told > 60_000) {
      told = performance.now();
      const { delivered } = await deps.sends.counts(send.id);
      const seconds = (told - start) / 1000;
      console.error(
        JSON.stringify({
          name: 'scale-progress',
          readers: n,
          delivered,
          seconds: round(seconds),
          msg_per_s: round(delivered / seconds),
          worker_rss_mb: pids.map(rssMb),
        }),
      );
    }
  }
  const e2e = (performance.now() - start) / 1000;
  const cpu = pids.reduce((sum, pid, k) => sum + cpuSeconds(pid) - (cpuBefore[k] as number), 0);
  const rss = Math.max(...pids.map(peakRssMb));
  const record = await deps.sends.get(send.id);
  const counts = await deps.sends.counts(send.id);
  const steady = ((record?.lastAt ?? 0) - (record?.startedAt ?? 0)) / 1000;
  const keys = deps.sends.keysOf(send.id);
  const editionKeys = (record?.editions ?? []).slice(1).map((l) => keys.compiledOf(l));
  const { sendBytes, queueBytes } = await redisBytes(deps.config, [
    ...Object.values(keys).filter((k) => typeof k === 'string'),
    ...editionKeys,
  ]);
  for (const { child } of children) child.kill('SIGTERM');
  await Promise.all(children.map(({ child }) => new Promise((resolve) => child.once('exit', resolve))));
  if (profDir) emitProfile(profDir);
  return {
    delivered: counts.delivered,
    msg_per_s: round(n / steady),
    e2e_s: round(e2e, 1),
    e2e_msg_per_s: round(n / e2e),
    cpu_us_per_msg: round((cpu * 1e6) / n),
    worker_peak_rss_mb: rss,
    redis_send_bytes: sendBytes,
    redis_queue_bytes_after: queueBytes,
    redis_bytes_per_recipient: round((sendBytes + queueBytes) / n, 2),
  };
}

/** No.201 in a folder of its own with an edition in every other locale beside it (its images too). */
function editionsOf201(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-editions-'));
  const issue = JSON.parse(readFileSync('issues/201.json', 'utf8')) as { locale: string; subject: string };
  writeFileSync(join(dir, '201.json'), JSON.stringify(issue));
  for (const locale of LOCALES.filter((l) => l !== issue.locale)) {
    writeFileSync(
      join(dir, `201.${locale}.json`),
      JSON.stringify({ ...issue, locale, subject: `${issue.subject} (${locale})` }),
    );
  }
  cpSync('issues/images/201', join(dir, 'images/201'), { recursive: true });
  return join(dir, '201.json');
}

/** Redis memory the send's own keys use, and what is left in the queues after it (on every master of a cluster). */
async function redisBytes(config: ReturnType<typeof loadConfig>, sendKeys: string[]) {
  const redis = connectRedis(config);
  // A new cluster client knows its masters only once it has read the slots.
  if (redis.status !== 'ready') await new Promise((ready) => redis.once('ready', ready));
  const nodes = scanTargets(redis);
  // On a cluster only the key's own master answers; the others say MOVED, which counts nothing.
  const usage = async (node: (typeof nodes)[number], key: string) =>
    Number((await node.call('MEMORY', 'USAGE', key).catch(() => 0)) ?? 0);
  let sendBytes = 0;
  let queueBytes = 0;
  for (const node of nodes) {
    for (const key of sendKeys) sendBytes += await usage(node, key);
    for (const queue of ['send', 'deliver'] as const) {
      const pattern = `${queuePrefix(config.REDIS_PREFIX, queue, isCluster(redis))}:${queue}:*`;
      let cursor = '0';
      do {
        const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        for (const key of found) queueBytes += await usage(node, key);
      } while (cursor !== '0');
    }
  }
  await redis.quit();
  return { sendBytes, queueBytes };
}

/** The library a profile frame belongs to, or null for Node's own code. */
function ownerOf(url: string, fn: string): string | null {
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(idle)' || fn === '(program)') return 'idle';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg === 'tsx' || pkg === 'esbuild' || url.includes('internal/modules')) return 'loading modules';
  if (pkg) return pkg;
  if (/\/(src|workers)\//.test(url)) return 'gazette';
  return null;
}

/**
 * Prints where the worker's CPU time went: by library (each sample charged to the nearest frame
 * of its stack that belongs to one, so Node's stream and socket code counts for its caller) and
 * the top functions by self time. Keeps the .cpuprofile for DevTools and prints its path.
 */
function emitProfile(dir: string): void {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return;
  type Node = { id: number; callFrame: { functionName: string; url: string }; children?: number[] };
  const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
    nodes: Node[];
    samples: number[];
    timeDeltas: number[];
  };
  const time = new Map<number, number>();
  p.samples.forEach((id, i) => {
    time.set(id, (time.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const parent = new Map<number, number>();
  for (const node of p.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const owner = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = (byId.get(at) as Node).callFrame;
      const found = ownerOf(frame.url, frame.functionName);
      if (found) return found;
    }
    return 'node (other)';
  };
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of p.nodes) {
    const t = time.get(node.id) ?? 0;
    if (t === 0) continue;
    total += t;
    byOwner.set(owner(node.id), (byOwner.get(owner(node.id)) ?? 0) + t);
    const where = node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/(src|workers)\//, '$1/');
    const key = `${node.callFrame.functionName || '(anonymous)'} ${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + t);
  }
  const shares = (m: Map<string, number>, n: number) =>
    Object.fromEntries(
      [...m.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, t]) => [k, round((100 * t) / total, 1)]),
    );
  emit({
    name: 'send-worker-profile',
    total_s: round(total / 1e6, 1),
    share_by_library: shares(byOwner, 12),
    top_functions_self: shares(byFunction, 12),
    file: join(dir, file),
  });
}

if (process.argv.includes('--sink')) {
  // The sink, in a process of its own: the suite's SMTP sink, keeping envelopes only; prints its port.
  const sink = await startTestSink(() => null, { keepRaw: false });
  console.log(JSON.stringify({ port: sink.port }));
} else {
  await main();
}
