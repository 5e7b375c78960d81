import { copyFile, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview } from '../../src/server/preview/preview-server.ts';
import { ISSUES_DIR } from '../helpers/issues.ts';

let dir: string;
let preview: Awaited<ReturnType<typeof startPreview>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gazette-preview-'));
  await copyFile(join(ISSUES_DIR, '201.json'), join(dir, '201.json'));
  await cp(join(ISSUES_DIR, 'images/201'), join(dir, 'images/201'), { recursive: true });
  await writeFile(join(dir, 'broken.json'), JSON.stringify({ number: 'two hundred', month: '2021-11' }));
  // Issue 14: a misspelt photo passed the preview's lint with "no warnings".
  const source = await readFile(join(ISSUES_DIR, '201.json'), 'utf8');
  await writeFile(
    join(dir, 'misspelt.json'),
    source.replace('images/201/bukhansan.jpg', 'images/201/bukhansann.jpg'),
  );
  // A message as the built-in sink stores it, built by nodemailer itself.
  const outbox = join(dir, 'outbox');
  await mkdir(join(outbox, 's201abc'), { recursive: true });
  const built = await createTransport({ streamTransport: true, buffer: true }).sendMail({
    from: 'Gazette <news@example.org>',
    to: 'キム・ミンジ <kim@example.org>', // MIME-encoded in the file (RFC 2047)
    subject: 'I · SEOUL · U No.201',
    text: 'plain part',
    html: '<p>html part</p><script>alert(1)</script>',
    headers: { 'List-Unsubscribe': '<https://example.org/u/tok>' },
  });
  await writeFile(join(outbox, 's201abc', '1.eml'), built.message as Buffer);
  // Links out of the images folder, as an attacker with write access to an upload would plant them.
  await symlink('/etc/hostname', join(dir, 'images/201/host.jpg'));
  await symlink('/etc', join(dir, 'images/etc.jpg'));
  await symlink(join(dir, 'images/201/forum.jpg'), join(dir, 'images/201/forum-again.jpg'));
  preview = await startPreview({ dir, port: 0, outboxDir: outbox, hosts: ['preview.desk.example'] });
});

afterAll(async () => {
  await preview.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (path: string) => fetch(`${preview.url}${path}`);

describe('editors’ preview', () => {
  it('lists every issue, flagging the invalid one', async () => {
    const res = await get('/');
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).toContain('href="/issues/201.json"');
    expect(body).toContain('2021ソウル都市競争力グローバルフォーラム開催');
    expect(body).toMatch(/broken\.json.*invalid: \d+ problem/s);
  });

  it('shows an issue at both widths with its text, MJML, size and lint', async () => {
    const body = await (await get('/issues/201.json')).text();
    expect(body).toContain('width="600"');
    expect(body).toContain('width="375"');
    expect(body).toContain('src="/issues/201.json/email.html"');
    expect(body).toMatch(/\d+\.\d KB of Gmail&#x27;s 102 KB clipping limit/);
    expect(body).toContain('no warnings');
    expect(body).toContain('&lt;mj-section'); // the MJML source, escaped
    expect(body).toContain('▶ 詳細はこちら: https://japanese.seoul.go.kr/2021-global-forum/');
  });

  it('serves the email with its images from this server', async () => {
    const html = await (await get('/issues/201.json/email.html')).text();
    expect(html).toContain(`src="${preview.url}/images/201/forum.jpg"`);
    const image = await get('/images/201/forum.jpg');
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
  });

  it('shows the validation errors of an invalid issue instead of failing', async () => {
    const res = await get('/issues/broken.json');
    const body = await res.text();
    expect(res.status).toBe(422);
    expect(body).toContain('broken.json is not a valid issue');
    expect(body).toContain('must be a number, not text &quot;two hundred&quot;');
    expect(body).toMatch(/<code>locale<\/code>(<!-- -->)?: is required/);
  });

  it('flags an issue whose image file is missing, naming the file, instead of showing it with no warnings', async () => {
    expect(await (await get('/')).text()).toMatch(/misspelt\.json.*invalid: 1 problem/s);
    const res = await get('/issues/misspelt.json');
    const body = await res.text();
    expect(res.status).toBe(422);
    expect(body).toContain('image file &quot;images/201/bukhansann.jpg&quot; not found');
    expect(body).not.toContain('no warnings');
  });

  it('refuses paths outside the issues folder', async () => {
    expect((await get('/issues/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    expect((await get('/images/..%2F201.json')).status).toBe(404);
  });

  it('tells open pages to reload when an issue file changes', async () => {
    const controller = new AbortController();
    const res = await fetch(`${preview.url}/events`, { signal: controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let seen = '';
    const waitFor = async (needle: string) => {
      while (!seen.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before "${needle}"`);
        seen += decoder.decode(value);
      }
    };
    await waitFor('event: boot');
    await writeFile(join(dir, 'broken.json'), '{}');
    await waitFor('event: reload');
    controller.abort();
  });

  it('lists the built-in sink’s messages and shows one with its headers, HTML (sandboxed) and text', async () => {
    const list = await (await get('/outbox')).text();
    expect(list).toContain('Send s201abc · 1 message(s)');
    expect(list).toContain('href="/outbox/s201abc/1.eml"');
    expect(list).toContain('I · SEOUL · U No.201');
    expect(list).toContain('キム・ミンジ');
    expect(list).not.toContain('=?UTF-8?');
    expect(list).not.toMatch(/Outbox<\/a> · Outbox/);
    const page = await (await get('/outbox/s201abc/1.eml')).text();
    expect(page).toMatch(/<th>list-unsubscribe<\/th><td[^>]*>.*https:\/\/example.org\/u\/tok/);
    expect(page).toMatch(/<th>to<\/th><td title="=\?UTF-8\?[^"]*">[^<]*キム・ミンジ[^<]*kim@example.org/);
    expect(page).toContain('plain part');
    expect(page).toMatch(/Subject \(decoded\)<\/th><td>I · SEOUL · U No.201</);
    expect(page).toContain('sandbox=""');
    const body = await get('/outbox/s201abc/1.eml/html');
    expect(body.headers.get('content-security-policy')).toMatch(/^sandbox/);
    expect(await body.text()).toContain('<p>html part</p>');
    expect((await get('/outbox/..%2F..%2Fetc/passwd')).status).toBe(404);
    expect((await get('/outbox/s201abc/..%2F201.json')).status).toBe(404);
  });
});

/** A GET with the Host header of our choosing, or none for '' (fetch does not let a caller set it). */
function getAs(host: string, path: string): Promise<{ status: number; csp: string | undefined }> {
  const { port } = new URL(preview.url);
  return new Promise((resolve, reject) => {
    const headers = host ? { host } : {};
    const req = request({ host: '127.0.0.1', port, path, headers, setHost: false }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, csp: res.headers['content-security-policy'] as string }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the preview under attack', () => {
  it('answers 404 for a symlink out of the images folder, and serves one that stays inside', async () => {
    expect((await get('/images/201/host.jpg')).status).toBe(404);
    expect((await get('/images/etc.jpg/hostname')).status).toBe(404);
    const inside = await get('/images/201/forum-again.jpg');
    expect([inside.status, inside.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
  });

  it('answers 403 to a foreign Host (DNS rebinding), its own names and configured ones as usual', async () => {
    const { port } = new URL(preview.url);
    for (const path of ['/', '/outbox', '/issues/201.json']) {
      expect((await getAs(`evil.example:${port}`, path)).status).toBe(403);
      expect((await getAs('127.0.0.1.evil.example', path)).status).toBe(403);
    }
    // Node itself answers 400 to an HTTP/1.1 request without Host; either way nothing is shown.
    expect([400, 403]).toContain((await getAs('', '/outbox')).status);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'PREVIEW.desk.example']) {
      expect((await getAs(host, '/outbox')).status).toBe(200);
    }
  });

  it('carries a Content-Security-Policy that allows no script but its own live reload', async () => {
    const { csp } = await getAs('localhost', '/issues/201.json');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("object-src 'none'");
  });
});
