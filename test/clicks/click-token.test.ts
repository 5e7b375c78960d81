import { describe, expect, it } from 'vitest';
import { clickToken, createClickSigner, readClickToken } from '../../src/clicks/click-token.ts';
import { signToken } from '../../src/tokens.ts';

const SECRET = 'test-secret-0123456789abcdef0123456789';

describe('click tokens', () => {
  it('the per-message signer makes exactly the tokens signToken makes, for short and long secrets', () => {
    const links = ['global-forum-2021', 'a1', 'photo', 'ranking-5', 'footer-12'];
    for (const secret of [SECRET, 'k'.repeat(64), 'long'.repeat(40)]) {
      const at = 1_796_000_000_000;
      const sign = createClickSigner(secret, 'smhq1x2ab12cd', links, () => at + 999);
      for (const sub of [0, 7, 123456789]) {
        const tokens = sign(sub);
        for (const id of links) {
          expect(tokens[id]).toBe(
            clickToken(secret, { sendId: 'smhq1x2ab12cd', subscriberId: sub, linkId: id, renderedAt: at }),
          );
          expect(readClickToken(secret, tokens[id] as string)).toEqual({
            sendId: 'smhq1x2ab12cd',
            subscriberId: sub,
            linkId: id,
            renderedAt: at,
          });
        }
      }
    }
  });

  it('refuses a link id that cannot be a token field', () => {
    expect(() => createClickSigner(SECRET, 's1', ['Bad Id'])).toThrow(
      'token field "Bad Id" is not a lower-case id',
    );
  });

  it('reads nothing from a token of another purpose, another secret, a wrong shape or a non-numeric reader', () => {
    const fields = ['s1', '42', 'a1'];
    expect(readClickToken(SECRET, signToken(SECRET, 'unsubscribe', fields))).toBeNull();
    expect(readClickToken(SECRET, signToken(`${SECRET}x`, 'click', fields))).toBeNull();
    expect(readClickToken(SECRET, signToken(SECRET, 'click', ['s1', '42']))).toBeNull();
    expect(readClickToken(SECRET, signToken(SECRET, 'click', ['s1', 'abc', 'a1']))).toBeNull();
    expect(readClickToken(SECRET, signToken(SECRET, 'click', [...fields, 'a', 'b']))).toBeNull();
    // Tokens signed before the render time was carried still count, with the time unknown.
    expect(readClickToken(SECRET, signToken(SECRET, 'click', fields))).toEqual({
      sendId: 's1',
      subscriberId: 42,
      linkId: 'a1',
      renderedAt: null,
    });
    expect(readClickToken(SECRET, signToken(SECRET, 'click', [...fields, 'zz']))?.renderedAt).toBe(1295_000);
  });
});
