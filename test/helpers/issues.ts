import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Issue } from '../../src/issue/schema.ts';

export const ISSUES_DIR = join(import.meta.dirname, '../../issues');

/** The sample issue files shipped in issues/. */
export function sampleIssueFiles(): string[] {
  return readdirSync(ISSUES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(ISSUES_DIR, f));
}

/** A fresh, mutable copy of issue No.201's JSON, for tests that break one field. */
// biome-ignore lint/suspicious/noExplicitAny: tests reach into the raw JSON to break one field at a time
export function issue201Json(): Record<string, any> {
  return JSON.parse(readFileSync(join(ISSUES_DIR, '201.json'), 'utf8'));
}

/** Every article of an issue, lead first. */
export function articlesOf(issue: Issue) {
  return [issue.lead, ...issue.sections.flatMap((s) => s.articles)];
}

/**
 * Issue No.203's JSON with its sections repeated (article ids made unique) until the JSON is at least
 * `bytes` long: a valid draft that is slow to compile (680 KB takes seconds), as an attacker sends it.
 */
// biome-ignore lint/suspicious/noExplicitAny: tests reach into the raw JSON
export function bloatedIssueJson(bytes: number): Record<string, any> {
  const issue = JSON.parse(readFileSync(join(ISSUES_DIR, '203.json'), 'utf8'));
  const sections: unknown[] = [];
  for (let copy = 0; Buffer.byteLength(JSON.stringify({ ...issue, sections })) < bytes; copy++) {
    for (const section of issue.sections) {
      // biome-ignore lint/suspicious/noExplicitAny: as above
      const articles = section.articles.map((a: any) => ({ ...a, id: `${a.id}-${copy}` }));
      sections.push({ ...section, articles });
    }
  }
  return { ...issue, sections };
}
