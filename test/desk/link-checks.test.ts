import { cp, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_CHECK_RUNS } from '../../src/desk/api/issues/link-check-runs.ts';
import { ACCOUNTS, localLinks, startTestDesk, type TestDesk } from '../helpers/desk-server.ts';
import { ISSUES_DIR, issue201Json } from '../helpers/issues.ts';
import { type LinkServer, loopbackForms, startLinkServer } from '../helpers/link-server.ts';

/**
 * Issue 17, points 4 and 6, as a writer sends them over HTTP: the desk's pre-send checks fetched every
 * link of an issue wherever it pointed, as often as anyone asked, and took image paths that climb out
 * of the images folder.
 */
type Check = { id: string; level: string; message: string; path?: string };
const checksOf = async (res: Response) => ((await res.json()) as { checks: Check[] }).checks;

describe('the desk with CHECK_ALLOW_PRIVATE off (the default)', () => {
  let desk: TestDesk;
  let inner: LinkServer;
  let scratch: string;
  let imagesDir: string;
  let writer: string;
  let revision = 1;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'gazette-link-checks-'));
    imagesDir = join(scratch, 'images');
    await cp(join(ISSUES_DIR, 'images/201'), join(imagesDir, '201'), { recursive: true });
    await symlink('/etc/hostname', join(imagesDir, '201/hostname.jpg'));
    inner = await startLinkServer('::');
    desk = await startTestDesk('desk-ssrf', { CHECK_ALLOW_PRIVATE: 'off' }, { imagesDir });
    writer = await desk.signIn(ACCOUNTS.writer);
  });
  afterAll(async () => {
    await desk?.close();
    await new Promise((r) => inner?.server.close(r));
    await rm(scratch, { recursive: true, force: true });
  });

  /** Saves `json` as issue 201 (created the first time) as the writer. */
  const save = async (json: Record<string, unknown>) => {
    const res =
      revision === 1 && !(await desk.call('GET', '/issues/201', { cookie: writer })).ok
        ? await desk.call('POST', '/issues', { cookie: writer, body: { issue: json } })
        : await desk.call('PUT', '/issues/201', {
            cookie: writer,
            body: json,
            headers: { 'if-match': String(revision) },
          });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    revision = ((await res.json()) as { revision: number }).revision;
  };

  it('GET /checks reaches no loopback, private or metadata address, and says only "not checked: private address"', async () => {
    const p = inner.port;
    const forms = [
      ...loopbackForms(p),
      'http://127.0.0.1:6379/',
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/',
    ];
    const json = localLinks(issue201Json(), inner.base);
    json.footer.links = forms.map((url, i) => ({ label: `l${i}`, url }));
    json.photo.image.src = `http://[::ffff:7f00:1]:${p}/photo.jpg`;
    await save(json);

    const res = await desk.call('GET', '/issues/201/checks', { cookie: writer });
    expect(res.status).toBe(200);
    const checks = await checksOf(res);
    expect(inner.requests).toEqual([]);
    for (const url of forms) {
      expect(checks.map((c) => c.message)).toContain(`link ${url} not checked: private address`);
    }
    expect(checks.map((c) => c.message)).toContain(
      `image http://[::ffff:7f00:1]:${p}/photo.jpg not checked: private address`,
    );
    expect(JSON.stringify(checks)).not.toMatch(/ECONN|UND_ERR|EHOST|socket/);
  });

  it('an image src that climbs out with ../, or a symlink out of the folder, is an error naming the path as written', async () => {
    const json = localLinks(issue201Json(), inner.base);
    json.lead.image.src = '../../../../../../etc/hostname';
    json.photo.image.src = 'images/201/hostname.jpg';
    json.sections[0].articles[0].image = { ...json.lead.image, src: 'images/201/nope.jpg' };
    await save(json);
    const checks = await checksOf(await desk.call('GET', '/issues/201/checks', { cookie: writer }));
    const at = (path: string) => checks.find((c) => c.path === path);
    expect(at('lead.image.src')).toMatchObject({
      level: 'error',
      message: 'image file "../../../../../../etc/hostname" is not in the images/ folder',
    });
    expect(at('photo.image.src')).toMatchObject({
      level: 'error',
      message: 'image file "images/201/hostname.jpg" not found',
    });
    expect(at('sections[0].articles[0].image.src')?.message).toBe(
      'image file "images/201/nope.jpg" not found',
    );
    expect(inner.requests).toEqual([]);
    const text = JSON.stringify(checks);
    expect(text).not.toContain(scratch);
    expect(text).not.toContain(process.cwd());

    // And so the issue cannot be approved.
    await desk.call('POST', '/issues/201/review', { cookie: writer });
    const editor = await desk.signIn(ACCOUNTS.editor);
    const approve = await desk.call('POST', '/issues/201/approve', { cookie: editor });
    expect(approve.status).toBe(409);
  });

  it('an upload to an issue that does not exist is refused and makes no folder', async () => {
    const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#c33' } })
      .png()
      .toBuffer();
    // The file itself as the body, as the desk's web app sends it.
    const upload = (number: string) =>
      fetch(`${desk.origin}/desk/api/issues/${number}/images?name=x.png`, {
        method: 'POST',
        headers: { cookie: writer, origin: desk.origin, 'content-type': 'image/png' },
        body: new Uint8Array(png),
      });
    const missing = await upload('999');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe('There is no issue 999.');
    // Past the nine digits an issue number may have: not a number the desk takes.
    expect((await upload('1000000000000000000000000000000')).status).toBe(422);
    expect(await readdir(imagesDir)).toEqual(['201']);
    expect((await upload('201')).status).toBe(201);
  });
});

describe('link-check runs: one at a time per issue, a minute of cache, a limit per caller', () => {
  let desk: TestDesk;
  let links: LinkServer;
  let json: Record<string, unknown>;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    links = await startLinkServer();
    desk = await startTestDesk('desk-link-runs');
    for (const [role, email] of Object.entries(ACCOUNTS)) cookies[role] = await desk.signIn(email);
    json = localLinks(issue201Json(), links.base);
    const created = await desk.call('POST', '/issues', { cookie: cookies.writer, body: { issue: json } });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await desk?.close();
    await new Promise((r) => links?.server.close(r));
  });

  const distinctUrls = () => new Set(JSON.stringify(json).match(/https?:\/\/[^"]+/g)).size;
  const checks = (role: string) => desk.call('GET', '/issues/201/checks', { cookie: cookies[role] });

  it('two callers at once share one run; a third call within the minute fetches nothing', async () => {
    const [a, b] = await Promise.all([checks('writer'), checks('editor')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await checksOf(a)).toEqual(await checksOf(b));
    expect(links.requests.length).toBe(distinctUrls());
    expect((await checks('sender')).status).toBe(200);
    expect(links.requests.length).toBe(distinctUrls());
  });

  it('a new revision is checked anew', async () => {
    const saved = await desk.call('PUT', '/issues/201', {
      cookie: cookies.writer,
      body: json,
      headers: { 'if-match': '1' },
    });
    expect(saved.status).toBe(200);
    const before = links.requests.length;
    expect((await checks('writer')).status).toBe(200);
    expect(links.requests.length).toBe(before + distinctUrls());
  });

  it(`a caller may start ${LINK_CHECK_RUNS.points} runs in ${LINK_CHECK_RUNS.seconds / 60} minutes, then gets 429 with Retry-After`, async () => {
    let revision = 2;
    let allowed = 0;
    let refused: Response | undefined;
    while (!refused && allowed <= LINK_CHECK_RUNS.points) {
      const saved = await desk.call('PUT', '/issues/201', {
        cookie: cookies.writer,
        body: json,
        headers: { 'if-match': String(revision) },
      });
      revision = ((await saved.json()) as { revision: number }).revision;
      const res = await checks('admin');
      if (res.status === 429) refused = res;
      else {
        expect(res.status).toBe(200);
        allowed++;
      }
    }
    expect(allowed).toBe(LINK_CHECK_RUNS.points);
    const answer = refused as Response;
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await answer.json()) as { error: string }).error).toMatch(
      /^Links were checked too often; try again in \d+ s\.$/,
    );
    // Someone else still may, and the answer the admin was refused is then cached for everyone.
    const requests = links.requests.length;
    expect((await checks('editor')).status).toBe(200);
    expect(links.requests.length).toBe(requests + distinctUrls());
  });
});
