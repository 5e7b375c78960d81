import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/bounces');
const run = promisify(execFile);

/** Runs the real `gazette` binary; resolves with its output and exit code whatever the code is. */
async function gazette(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('gazette bounce classify', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gazette-bounces-'));
    await mkdir(join(dir, 'inbox/2021-11'), { recursive: true });
    await copyFile(join(FIXTURES, 'postfix-user-unknown.eml'), join(dir, 'inbox/a.eml'));
    await copyFile(join(FIXTURES, 'softbank-refused-shift-jis.eml'), join(dir, 'inbox/2021-11/b.EML'));
    await copyFile(join(FIXTURES, 'vacation-notice.eml'), join(dir, 'inbox/2021-11/c.eml'));
    await writeFile(join(dir, 'inbox/notes.txt'), 'not a message, and not an .eml');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints one JSON line per result, naming its file', async () => {
    const file = join(FIXTURES, 'postfix-multi-recipient.eml');
    const { stdout, code } = await gazette('bounce', 'classify', file, '--json');
    expect(code).toBe(0);
    const results = lines(stdout).map((l) => JSON.parse(l));
    expect(results).toEqual([
      {
        file,
        recipient: 'dohyun.kang@partner.example',
        action: 'failed',
        status: '5.1.1',
        diagnostic:
          '550 5.1.1 <dohyun.kang@partner.example>: Recipient address rejected: User unknown in local recipient table',
        reason: 'user_unknown',
        kind: 'hard',
      },
      {
        file,
        recipient: 'sua.lim@partner.example',
        action: 'failed',
        status: '5.2.2',
        diagnostic: '552 5.2.2 <sua.lim@partner.example>: Mailbox full',
        reason: 'mailbox_full',
        kind: 'soft',
      },
    ]);
  });

  it('walks folders for .eml files (any case), in order, and prints readable lines by default', async () => {
    const { stdout, stderr, code } = await gazette('bounce', 'classify', join(dir, 'inbox'));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(lines(stdout)).toEqual([
      `${join(dir, 'inbox/2021-11/b.EML')}: hanako.sato@i.softbank.jp soft blocked - 受信者の設定により、このメールは受信拒否されました。`,
      expect.stringMatching(
        new RegExp(
          `^${join(dir, 'inbox/a.eml')}: minjun\\.kim@example\\.net hard user_unknown 5\\.1\\.1 550 5\\.1\\.1 `,
        ),
      ),
    ]);
  });

  it('prints nothing for a message that is not a bounce', async () => {
    const { stdout, stderr, code } = await gazette(
      'bounce',
      'classify',
      join(FIXTURES, 'ordinary-reply.eml'),
      '--json',
    );
    expect({ stdout, stderr, code }).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  it('reports an unreadable file on its own line, still classifies the others, and exits 1', async () => {
    const missing = join(dir, 'missing.eml');
    const good = join(FIXTURES, 'ses-user-unknown.eml');
    const { stdout, stderr, code } = await gazette('bounce', 'classify', missing, good, '--json');
    expect(code).toBe(1);
    expect(lines(stderr)).toEqual([`${missing}: cannot read it: no such file or folder`]);
    expect(lines(stdout).map((l) => JSON.parse(l).recipient)).toEqual(['inho.jang@example.org']);
  });

  it('classifies every fixture from the folder in one run', async () => {
    const { stdout, code } = await gazette('bounce', 'classify', FIXTURES, '--json');
    expect(code).toBe(0);
    const results = lines(stdout).map((l) => JSON.parse(l));
    expect(new Set(results.map((r) => Object.keys(r).join()))).toEqual(
      new Set(['file,recipient,action,status,diagnostic,reason,kind']),
    );
    expect(results.filter((r) => r.kind === 'complaint').map((r) => r.recipient)).toEqual([
      'yuri.kim@isp.example',
      'yoona.lim@example.com',
      'somi.kang@yahoo.com',
    ]);
  });
});
