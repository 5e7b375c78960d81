import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledIssue, PLACEHOLDER } from '../../src/compose/compiled.ts';
import { createPersonalizer, personalize } from '../../src/compose/personalize.ts';
import { compileIssue } from '../../src/compose/render.ts';
import { parseIssue } from '../../src/issue/load.ts';
import { issue201Json } from '../helpers/issues.ts';

let compiled: CompiledIssue;
beforeAll(async () => {
  compiled = await compileIssue(parseIssue(issue201Json()), { publicUrl: 'https://news.example.org' });
});

describe('personalize', () => {
  it('puts each reader’s own links and name in both parts and leaves no placeholder', () => {
    const forReader = createPersonalizer(compiled);
    const a = forReader({
      unsubscribeUrl: 'https://n.example/u/1.aaa',
      webUrl: 'https://n.example/archive/201',
      name: 'キム',
    });
    const b = forReader({
      unsubscribeUrl: 'https://n.example/u/2.bbb',
      webUrl: 'https://n.example/archive/201',
      name: 'Lee',
    });
    for (const [msg, url, greeting] of [
      [a, 'https://n.example/u/1.aaa', 'キム 様'],
      [b, 'https://n.example/u/2.bbb', 'Lee 様'],
    ] as const) {
      expect(msg.html).toContain(`href="${url}"`);
      expect(msg.text).toContain(`配信停止: ${url}`);
      expect(msg.html).toContain(greeting);
      expect(msg.text).toContain(greeting);
      expect(msg.html).toContain('href="https://n.example/archive/201"');
      for (const marker of Object.values(PLACEHOLDER)) {
        expect(msg.html).not.toContain(marker);
        expect(msg.text).not.toContain(marker);
      }
    }
    expect(a.html).not.toContain('2.bbb');
  });

  it('escapes a name in the HTML and keeps it as written in the text', () => {
    const msg = personalize(compiled, {
      unsubscribeUrl: 'https://n.example/u/1',
      webUrl: 'https://n.example/a',
      name: '<b>Kim & Lee</b>',
    });
    expect(msg.html).toContain('&lt;b&gt;Kim &amp; Lee&lt;/b&gt; 様');
    expect(msg.html).not.toContain('<b>Kim');
    expect(msg.text).toContain('<b>Kim & Lee</b> 様');
  });

  it('greets all readers when there is no name', () => {
    const msg = personalize(compiled, {
      unsubscribeUrl: 'https://n.example/u/1',
      webUrl: 'https://n.example/a',
      name: '  ',
    });
    expect(msg.html).toContain('読者の皆様へ');
    expect(msg.text).toContain('読者の皆様へ');
  });
});
