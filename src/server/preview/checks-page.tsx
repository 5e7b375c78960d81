import type { Check } from '../../issue/check.ts';
import { html, Page } from './preview-pages.tsx';

/** The preview's page of `gazette check` results for one issue file: every finding, or that all is well. */
export function checksPage(file: string, checks: Check[]): string {
  const errors = checks.filter((c) => c.level === 'error').length;
  return html(
    <Page title={`${file} · checks`}>
      <p>
        <a href={`/issues/${encodeURIComponent(file)}`}>← {file}</a>
      </p>
      <p>
        {checks.length === 0
          ? 'Every image and link answered.'
          : `${errors} error(s), ${checks.length - errors} warning(s) (the same as \`gazette check ${file}\`):`}
      </p>
      <ul>
        {checks.map((c) => (
          <li key={c.id} className={c.level === 'error' ? 'error' : 'warning'}>
            <strong>{c.level}</strong> <code>{c.path ?? ''}</code> {c.message}
          </li>
        ))}
      </ul>
    </Page>,
  );
}
