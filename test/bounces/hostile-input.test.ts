import { describe, expect, it } from 'vitest';
import { classifyBounce } from '../../src/bounces/classify/classifier-api.ts';
import { MAX_RESULTS } from '../../src/bounces/classify/result.ts';
import { TEXT_RULES } from '../../src/bounces/classify/rules.ts';
import { hostileMessages, wordsOf } from '../helpers/hostile-bounces.ts';

// Issue 17: one 260 KB message to bounces@ held the server for 20-33 s, because an address pattern
// read a 200,000-character line once per character. Every message here is as big as anyone may send
// without a token (BOUNCE_UNSIGNED_MAX_BYTES, 256 KB) and is made to cost a backtracking pattern, the
// parser or a per-recipient loop the most; each must be classified in under 100 ms.
const LIMIT_MS = 100;

/**
 * The processor time one classification takes. This machine is shared, so wall time also counts
 * the other processes' turns; processor time is the cost the message itself imposes (the old code
 * took 45 s of it for the first message).
 */
async function cost(raw: string): Promise<{ ms: number; wallMs: number; results: number | string }> {
  const wall = performance.now();
  const start = process.cpuUsage();
  const results = await classifyBounce(raw).then(
    (r) => r.length,
    (err: Error) => `refused: ${err.message}`,
  );
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, wallMs: performance.now() - wall, results };
}

describe('classifyBounce on hostile input', () => {
  const messages = hostileMessages(250_000);

  it('warms up on an ordinary bounce', async () => {
    const dsn =
      'From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered\r\n\r\n<a@example.org>: 550 5.1.1 user unknown\r\n';
    expect((await classifyBounce(dsn)).map((r) => r.reason)).toEqual(['user_unknown']);
  });

  it.each(messages.map((m) => [m.name, m.raw] as const))(`%s: under ${LIMIT_MS} ms`, async (name, raw) => {
    expect(raw.length).toBeLessThan(300 * 1024);
    // The best of two: a collection of the garbage the previous message left is not this one's cost.
    const first = await cost(raw);
    const run = first.ms < LIMIT_MS ? first : await cost(raw);
    console.log(
      JSON.stringify({
        name: 'bounce-hostile',
        message: name,
        kb: Math.round(raw.length / 1024),
        cpuMs: Math.round(run.ms),
        wallMs: Math.round(run.wallMs),
        results: run.results,
      }),
    );
    expect(run.ms).toBeLessThan(LIMIT_MS);
    if (typeof run.results === 'number') expect(run.results).toBeLessThanOrEqual(MAX_RESULTS);
  });

  it('still reads the failed recipient after a 50,000-character line', async () => {
    const line = 'a.'.repeat(25_000);
    const raw = `From: MAILER-DAEMON@mx.example\r\nSubject: Undelivered Mail\r\nContent-Type: text/plain\r\n\r\n${line}\r\n\r\n<gone@example.org>: 550 5.1.1 user unknown\r\n`;
    expect((await classifyBounce(raw)).map((r) => [r.recipient, r.reason])).toEqual([
      ['gone@example.org', 'user_unknown'],
    ]);
  });
});

// A relay's SMTP reply and a webhook's diagnostic reach the rules whole (a bounce's lines are cut to 2,000
// characters first): each rule must be linear on a 200,000-character line, whatever it repeats.
describe('each text rule on one 200,000-character line', () => {
  /** The processor time of `pattern` on `line`, in ms. */
  const timed = (pattern: RegExp, line: string) => {
    const start = process.cpuUsage();
    pattern.test(line);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  const line = (unit: string) => unit.repeat(Math.ceil(200_000 / unit.length));
  // Shapes that cost a rule reading a noun, then a few words or an address, then a verdict, the most.
  const SHAPES = [
    'user mailbox a.b rcpt (c) ',
    '<a@b.c> user <d@e.f> ',
    'said: 550 : ',
    '\t \t= ',
    'a'.repeat(60),
  ];

  it.each(TEXT_RULES.map((r) => [r.id, r.pattern] as const))(`%s: under ${LIMIT_MS} ms`, (_, pattern) => {
    const words = wordsOf(pattern);
    const units = [`${words} `, words.replace(/ /g, ''), ...SHAPES];
    const worst = Math.max(...units.map((u) => Math.min(timed(pattern, line(u)), timed(pattern, line(u)))));
    expect(worst).toBeLessThan(LIMIT_MS);
  });
});
