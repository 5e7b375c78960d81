import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEditions } from '../../src/issue/editions/edition-files.ts';
import { checkRemote } from '../../src/issue/link-checks/remote-checks.ts';
import { IssueError, loadIssue, parseIssue } from '../../src/issue/load.ts';
import { createSend } from '../../src/send/control/schedule.ts';
import { runCli } from '../helpers/cli.ts';
import { ISSUES_DIR, issue201Json } from '../helpers/issues.ts';
import { loopbackForms, startLinkServer } from '../helpers/link-server.ts';
import { type TestRedis, testRedis } from '../helpers/redis.ts';
import { addReaders, type SendEnv, sendEnv, testConfig } from '../helpers/send-env.ts';

const secret = { GAZETTE_SECRET: 'x'.repeat(40) };
let dir: string;
let misspelt: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gazette-checks-'));
  await cp(join(ISSUES_DIR, 'images'), join(dir, 'images'), { recursive: true });
  const source = await readFile(join(ISSUES_DIR, '201.json'), 'utf8');
  misspelt = join(dir, '201.json');
  await writeFile(misspelt, source.replace('images/201/bukhansan.jpg', 'images/201/bukhansann.jpg'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const photoLine = async () =>
  (await readFile(misspelt, 'utf8')).split('\n').findIndex((l) => l.includes('bukhansann')) + 1;

describe('local images', () => {
  it('a misspelt image file fails validate with its path, its JSON location and its line', async () => {
    const run = await runCli(['validate', misspelt], secret);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      `photo.image.src (line ${await photoLine()}): image file "images/201/bukhansann.jpg" not found`,
    );
    // Issue 17: the path as written, never where it was looked for on this machine.
    expect(run.stderr).not.toContain(dir);
    expect(run.stderr).not.toContain('looked for');
  });

  it('the same file fails build and writes nothing', async () => {
    const out = join(dir, 'out');
    const run = await runCli(['build', misspelt, '--out', out], secret);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('photo.image.src');
    await expect(readFile(join(out, '201', 'index.html'))).rejects.toThrow(/ENOENT/);
  });

  it('an article image names the article by title', async () => {
    await expect(loadIssue(misspelt)).resolves.toBeTruthy(); // a plain load (no checkImages) only parses
    const lead = misspelt.replace('201.json', 'lead.json');
    const source = await readFile(join(ISSUES_DIR, '201.json'), 'utf8');
    await writeFile(lead, source.replace('images/201/forum.jpg', 'images/201/forum.png'));
    await expect(loadIssue(lead, { checkImages: true })).rejects.toThrow(
      /^記事「「2021ソウル都市競争力グ…」 \(lead, line 19\): image.src image file "images\/201\/forum.png" not found/,
    );
  });

  it('the shipped sample issues have every image they name, and a month that follows from their number', async () => {
    for (const n of [201, 202, 203, 205]) {
      const issue = await loadIssue(join(ISSUES_DIR, `${n}.json`), { checkImages: true });
      // Monthly since No.201 of 2021-11.
      const months = 2021 * 12 + 10 + (n - 201);
      expect(issue.month).toBe(`${Math.floor(months / 12)}-${String((months % 12) + 1).padStart(2, '0')}`);
    }
  });

  it('No.205 ships in four editions that pass the cross-check with no warning, every image there', async () => {
    const { editions, warnings } = await loadEditions(join(ISSUES_DIR, '205.json'), { checkImages: true });
    expect(editions.map((e) => [e.locale, e.month])).toEqual([
      ['ja', '2022-03'],
      ['en', '2022-03'],
      ['ko', '2022-03'],
      ['zh', '2022-03'],
    ]);
    // Each edition carries every article of the default edition, not only ids it may have.
    const ids = (e: (typeof editions)[number]) => [
      e.lead.id,
      ...e.sections.flatMap((s) => s.articles.map((a) => a.id)),
    ];
    for (const edition of editions) expect(ids(edition)).toEqual(ids(editions[0] ?? edition));
    expect(warnings).toEqual([]);
  });
});

describe('send refuses a missing image', () => {
  let t: TestRedis;
  let env: SendEnv;
  beforeAll(async () => {
    t = await testRedis('checks');
    env = sendEnv(t.redis, testConfig(t.prefix));
  });
  afterAll(async () => {
    await env?.queues.close();
    await t?.cleanup();
  });

  it('throws an IssueError naming the file, and stores no send', async () => {
    await addReaders(env.subscribers, 'images', 2);
    const send = createSend(env, { issueFile: misspelt, list: 'images' });
    await expect(send).rejects.toBeInstanceOf(IssueError);
    await expect(send).rejects.toThrow('images/201/bukhansann.jpg');
    expect(await env.sends.ids(10)).toEqual([]);
  });
});

describe('remote images and links (gazette check)', () => {
  let server: Server;
  let base: string;
  let inFlight = 0;
  let peak = 0;
  const methods: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      methods.push(`${req.method} ${req.url}`);
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        if (req.url === '/gone') res.writeHead(410);
        else if (req.url === '/missing') res.writeHead(404);
        else if (req.url === '/no-head') res.writeHead(req.method === 'HEAD' ? 405 : 200);
        else if (req.url === '/slow') return void setTimeout(() => res.end(), 3000);
        else res.writeHead(200);
        res.end();
      }, 50);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('404/410 are errors, no answer a warning, HEAD refused falls back to GET, at most N at once', async () => {
    const data = issue201Json();
    data.lead.url = `${base}/missing`;
    data.sections[0].articles[0].url = `${base}/gone`;
    data.sections[0].articles[1].url = `${base}/no-head`;
    data.sections[0].articles[2].url = `${base}/slow`;
    data.photo.image.src = `${base}/photo.jpg`;
    data.photo.url = 'http://127.0.0.1:1/closed';
    data.ranking.items = [1, 2, 3, 4, 5].map((i) => ({ title: `r${i}`, url: `${base}/ok-${i}` }));
    data.footer.links = [];
    // The link server is on loopback: allowed here as CHECK_ALLOW_PRIVATE=on allows it.
    const policy = { allowPrivate: true, ports: [] };
    const checks = await checkRemote(parseIssue(data), { policy, timeoutMs: 1000, concurrency: 2 });
    const by = (path: string) => checks.find((c) => c.path === path);
    expect(by('lead.url')).toMatchObject({ level: 'error', message: expect.stringContaining('HTTP 404') });
    expect(by('sections[0].articles[0].url')).toMatchObject({
      level: 'error',
      message: expect.stringContaining('HTTP 410'),
    });
    expect(by('sections[0].articles[1].url')).toBeUndefined();
    expect(methods).toContain('GET /no-head');
    expect(by('sections[0].articles[2].url')).toMatchObject({
      level: 'warning',
      message: expect.stringContaining('1 s'),
    });
    expect(by('photo.url')).toMatchObject({
      level: 'warning',
      message: expect.stringContaining('did not answer'),
    });
    expect(by('photo.image.src')).toBeUndefined();
    expect(checks).toHaveLength(4);
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('gazette check prints each finding and exits 1 on an error', async () => {
    const data = issue201Json();
    for (const s of data.sections) for (const a of s.articles) a.url = `${base}/ok`;
    data.lead.url = `${base}/missing`;
    data.photo.url = `${base}/ok`;
    data.ranking.items = [{ title: 'r', url: `${base}/ok` }];
    data.footer.links = [];
    const file = join(dir, 'remote.json');
    await writeFile(file, JSON.stringify(data, null, 2));
    const run = await runCli(['check', file, '--timeout', '2'], { ...secret, CHECK_ALLOW_PRIVATE: 'on' });
    expect(run.stdout).toContain(`error: lead.url: link ${base}/missing is gone (HTTP 404)`);
    expect(run.stdout).toMatch(/1 error\(s\)\n$/);
    expect(run.code).toBe(1);
  });
});

describe('image paths stay in the images folder (issue 17)', () => {
  const withImage = async (name: string, src: string) => {
    const data = issue201Json();
    data.lead.image.src = src;
    const file = join(dir, `${name}.json`);
    await writeFile(file, JSON.stringify(data, null, 2));
    return file;
  };

  it('a src that climbs out with ../ fails validate and build, naming the path as written', async () => {
    const src = '../../../../../../etc/hostname';
    const file = await withImage('climb', src);
    const run = await runCli(['validate', file], secret);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`image.src image file "${src}" is not in the images/ folder`);
    expect(run.stderr).not.toContain(dir);
    const out = join(dir, 'out-climb');
    const build = await runCli(['build', file, '--out', out], secret);
    expect(build.code).toBe(1);
    expect(build.stderr).toContain(`"${src}" is not in the images/ folder`);
    await expect(readFile(join(out, '201', 'index.html'))).rejects.toThrow(/ENOENT/);
  });

  it('every other way out is refused the same, whether or not the file exists', async () => {
    for (const src of [
      '%2e%2e/%2e%2e/etc/hostname',
      'images/../../../etc/hostname',
      'images/../201.json',
      '/etc/hostname',
      'images/201/../../../etc/nonexistent-file',
    ]) {
      const file = await withImage('way-out', src);
      await expect(loadIssue(file, { checkImages: true }), src).rejects.toThrow(
        `image file "${src}" is not in the images/ folder`,
      );
    }
  });

  it('a symlink in the images folder that points outside it is refused, and the error names no real path', async () => {
    await writeFile(join(dir, 'outside.jpg'), 'not in images/');
    await symlink(join(dir, 'outside.jpg'), join(dir, 'images/201/outside.jpg'));
    await symlink('/etc/hostname', join(dir, 'images/201/hostname.jpg'));
    for (const src of ['images/201/outside.jpg', 'images/201/hostname.jpg']) {
      const file = await withImage('symlink', src);
      const run = await runCli(['validate', file], secret);
      expect(run.code, src).toBe(1);
      expect(run.stderr).toContain(`image file "${src}" not found`);
      expect(run.stderr).not.toContain(dir);
      expect(run.stderr).not.toContain('/etc/');
    }
  });
});

describe('gazette check refuses private addresses (issue 17)', () => {
  it('links to every loopback form are not fetched: the listener sees no request', async () => {
    const inner = await startLinkServer('::');
    try {
      const p = inner.port;
      const forms = loopbackForms(p);
      const data = issue201Json();
      for (const s of data.sections) for (const a of s.articles) a.url = forms[0];
      data.lead.url = forms[0];
      data.photo.url = forms[0];
      data.photo.image.src = `http://127.0.0.1:${p}/photo.jpg`;
      data.ranking.items = [{ title: 'r', url: forms[0] }];
      data.footer.links = forms.map((url, i) => ({ label: `l${i}`, url }));
      const file = join(dir, 'loopback.json');
      await writeFile(file, JSON.stringify(data, null, 2));
      // CHECK_ALLOW_PRIVATE unset: the default.
      const run = await runCli(['check', file, '--timeout', '2'], { ...secret, CHECK_ALLOW_PRIVATE: '' });
      expect(inner.requests).toEqual([]);
      for (const url of forms) expect(run.stdout).toContain(`link ${url} not checked: private address`);
      expect(run.stdout).toContain(`image http://127.0.0.1:${p}/photo.jpg not checked: private address`);
      expect(run.stdout).not.toMatch(/ECONN|UND_ERR/);
    } finally {
      await new Promise((r) => inner.server.close(r));
    }
  });
});
