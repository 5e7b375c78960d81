/**
 * `npm run demo`: the whole product in one minute on a machine with nothing but Redis (running, or
 * just installed). Composes issue No.201, imports a generated list (a few people then leave, one
 * row is invalid), schedules a send a few seconds ahead, runs a worker in this process into the
 * built-in sink, shows the progress bar, and ends with the report, where the .eml files are and the
 * commands to look further. It uses the ordinary environment (REDIS_URL, REDIS_PREFIX, .env), so that
 * those commands see what it made, and it only adds: it never deletes or changes data it did not make.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { createAuditLog } from '../src/audit/audit-log.ts';
import { bounceStoreOf } from '../src/bounces/policy.ts';
import { describeSend } from '../src/cli/send/status-view.ts';
import { watchSend } from '../src/cli/send/status-watch.ts';
import { compileIssue } from '../src/compose/render.ts';
import { loadConfig } from '../src/config.ts';
import { deskOrigin } from '../src/desk/api/desk-deps.ts';
import { freePort } from '../src/free-port.ts';
import { readIssueFile, storeIssueFile } from '../src/issue/issue-files.ts';
import { createIssueStore } from '../src/issue/issue-store.ts';
import { loadIssue } from '../src/issue/load.ts';
import { createRedis } from '../src/redis.ts';
import { createSend } from '../src/send/control/schedule.ts';
import { createQueues } from '../src/send/jobs/queues.ts';
import { createSendStore } from '../src/send/record/send-store.ts';
import { formatCount } from '../src/send/record/send-text.ts';
import { importSubscribers } from '../src/subscribers/files/import.ts';
import { createSubscriberStore } from '../src/subscribers/subscriber-store.ts';
import { startWorkers } from '../workers/index.ts';

const LIST = 'demo';
const PEOPLE = 300;
const say = (text: string) => console.log(text);

/** True when something answers PING at `url` within a second. */
async function answers(url: string): Promise<boolean> {
  const probe = createRedis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * REDIS_URL, else a Redis on 6379, else a private redis-server from PATH (data in var/redis), left
 * running so that the commands the demo prints afterwards find what it made.
 */
async function findRedis(): Promise<{ url: string; own: ChildProcess | null }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, own: null };
  const local = 'redis://127.0.0.1:6379';
  if (await answers(local)) return { url: local, own: null };
  if (spawnSync('redis-server', ['--version']).error) {
    say(
      'Gazette needs Redis and none is running or installed: start one with `docker compose up -d redis`, or install your OS package (e.g. `sudo apt install redis-server`), then run `npm run demo` again.',
    );
    process.exit(1);
  }
  const port = await freePort();
  mkdirSync('var/redis', { recursive: true });
  const own = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      'var/redis',
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore', detached: true },
  );
  own.unref();
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answers(url)); i++) await new Promise((r) => setTimeout(r, 100));
  say(
    `Started a private redis-server on port ${port} (data in var/redis); it keeps running for the commands below.`,
  );
  return { url, own };
}

/** A generated CSV: names in Japanese, Korean and English, and one row that is not an address. */
function writeSampleList(file: string): void {
  const family = ['佐藤', '김', 'Smith', '鈴木', '이', 'Garcia', '高橋', '박', 'Kim'];
  const given = ['花子', '민수', 'Alex', '太郎', '지연', 'Maria', '陽菜', '서준', 'Lee'];
  const locales = ['ja', 'ko', 'en'];
  const rows = ['email,name,locale'];
  for (let i = 1; i <= PEOPLE; i++) {
    const name = i % 10 === 0 ? '' : `${family[i % family.length]} ${given[(i * 7) % given.length]}`;
    rows.push(`reader${i}@example.org,${name},${locales[i % 3]}`);
    if (i === 150) rows.push('not-an-address,Broken Row,ja');
  }
  mkdirSync('var/demo', { recursive: true });
  writeFileSync(file, `${rows.join('\n')}\n`);
}

// The same settings the gazette command reads, so that what the demo makes is where it looks.
if (existsSync('.env')) process.loadEnvFile('.env');
const { url, own } = await findRedis();
// The built-in sink, never a relay the environment names: the demo's readers are made up.
const config = loadConfig({ ...process.env, REDIS_URL: url, SMTP_URL: undefined });
const redis = createRedis(config.REDIS_URL);
const sends = createSendStore({ redis, prefix: config.REDIS_PREFIX, bounces: bounceStoreOf(redis, config) });
const subscribers = createSubscriberStore({ redis, prefix: config.REDIS_PREFIX });
const queues = createQueues(config);
const issues = createIssueStore({ redis, prefix: config.REDIS_PREFIX });
const audit = createAuditLog({ redis, prefix: config.REDIS_PREFIX });
const DEMO_ISSUE = 'issues/201.json';
const DEMO_USER = 'demo';
try {
  say('\n1. Compose issue No.201');
  const started = performance.now();
  const compiled = await compileIssue(await loadIssue('issues/201.json'), { publicUrl: config.PUBLIC_URL });
  say(
    `   "${compiled.subject}": HTML ${(Buffer.byteLength(compiled.html) / 1024).toFixed(0)} KB, text ${(Buffer.byteLength(compiled.text) / 1024).toFixed(0)} KB, compiled in ${(performance.now() - started).toFixed(0)} ms`,
  );
  const inDesk = await putInDesk();
  say(
    `   ${inDesk ? 'put into' : 'already in'} the desk's issue store (as \`npx gazette issues import\` does)`,
  );

  say(`\n2. Import a generated list of ${PEOPLE} subscribers (var/demo/subscribers.csv)`);
  const csv = 'var/demo/subscribers.csv';
  writeSampleList(csv);
  const imported = await importSubscribers(subscribers, createReadStream(csv), {
    format: 'csv',
    list: LIST,
    locale: 'ja',
    resubscribe: false,
    by: 'demo',
    wording: 'Generated for the Gazette demo',
  });
  say(`   added ${imported.added}, rejected ${imported.rejected.length}:`);
  for (const r of imported.rejected) say(`   line ${r.line}: ${r.reason}`);
  const leaving = ['reader3@example.org', 'reader42@example.org', 'reader201@example.org'];
  for (const email of leaving) {
    const person = await subscribers.findByEmail(email);
    if (person) await subscribers.unsubscribe(person.id, { via: 'demo', by: 'demo' });
  }
  say(`   ${leaving.join(', ')} unsubscribed: they will be skipped`);

  say('\n3. Schedule the send 5 seconds ahead, in Asia/Seoul time');
  const at = DateTime.now().setZone(config.TZ_DEFAULT).plus({ seconds: 5 }).toFormat("yyyy-LL-dd'T'HH:mm:ss");
  const send = await createSend(
    { sends, subscribers, queues, config },
    // Each run of the demo sends the same issue to its list again, on purpose.
    { issueFile: 'issues/201.json', list: LIST, at, resend: true },
  );
  say(`   npx gazette send issues/201.json --list ${LIST} --at ${at}  →  ${send.id}`);
  await markSent(send.id);

  say('\n4. A worker delivers it (here in this process; run `npx gazette worker` anywhere to add more)');
  const workers = await startWorkers(config, () => {});
  const live = Boolean(process.stdout.isTTY) && !process.env.CI;
  const final = await watchSend({ sends, subscribers }, send.id, {
    live,
    write: (text) => process.stdout.write(live ? text : `   ${text}`),
  });
  await workers.close();

  say('\n5. The report');
  say(describeSend(final, config.TZ_DEFAULT).replace(/^/gm, '   '));
  const folder = join(config.OUTBOX_DIR, send.id);
  say(
    `\n   ${formatCount(final.delivered)} messages are in ${folder}/ (1.eml, 2.eml, …): open one in a mail client,`,
  );
  say(`   or look at its headers: head -20 ${folder}/1.eml`);
  say(lookFurther(send.id, own ? url : undefined));
} finally {
  await queues.close();
  await redis.quit();
}

/** Stores No.201 in the desk (only if the desk has not got it); true when it did. */
async function putInDesk(): Promise<boolean> {
  const file = await readIssueFile(DEMO_ISSUE);
  return (await storeIssueFile({ issues, audit }, file, DEMO_USER, 'create')).status === 'ok';
}

/**
 * Ties the demo's send to No.201 in the desk, so that the desk shows it sent, with its send and
 * report; only while No.201 there is the demo's own (nobody saved it since), never an editor's.
 */
async function markSent(sendId: string): Promise<void> {
  const stored = await issues.get(201, 'ja');
  if (stored?.updatedBy !== DEMO_USER) return;
  await issues.move(201, 'ja', 'scheduled', ['draft', 'scheduled', 'sent'], { sendId });
}

/** The commands to run next, exactly as they work when pasted into a shell in this folder. */
function lookFurther(id: string, privateRedis: string | undefined): string {
  const env = privateRedis ? `REDIS_URL=${privateRedis} ` : '';
  const lines = [
    '\n6. Look further (copy into a shell here):',
    `   ${env}npx gazette report ${id}`,
    `   ${env}npx gazette status ${id}`,
    `   ${env}npx gazette preview    # then open http://127.0.0.1:4000/sends/${id} and /outbox`,
    `   ${env}npx gazette users add you@example.org --role admin    # an account for the desk`,
    `   ${env}npx gazette server    # then open ${deskOrigin(config)}/desk: No.201, its send and report`,
  ];
  if (privateRedis)
    lines.push(
      `   redis-cli -u ${privateRedis} shutdown    # stops the private redis-server when you are done`,
    );
  return lines.join('\n');
}
