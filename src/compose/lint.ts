import { formatPath, type Image, type Issue } from '../issue/schema.ts';

/** Something an editor should look at before sending; never stops a build. */
export interface LintWarning {
  code: string;
  /** What exactly, as a message code with its values for the faces to word (`message` is English). */
  reason: string;
  params: Record<string, string | number>;
  /** JSON path of the field concerned, when there is one. */
  path?: string;
  message: string;
}

/** Gmail clips messages whose HTML exceeds 102 KB, hiding the rest (and the unsubscribe link) behind a link. */
export const GMAIL_CLIP_BYTES = 102 * 1024;
const SIZE_WARN_BYTES = 90 * 1024;
const SUBJECT_MAX = 80;
const PREHEADER_MAX = 140;

type Path = (string | number)[];

/** Visits every value of the issue with its JSON path. */
function walk(value: unknown, path: Path, visit: (value: unknown, path: Path) => void): void {
  visit(value, path);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) walk(v, [...path, i], visit);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit);
  }
}

function isImage(value: unknown, path: Path): value is Image {
  return path.at(-1) === 'image' && typeof value === 'object' && value !== null && 'src' in value;
}

/** Checks an issue and its compiled HTML against what mail clients and readers need. */
export function lintIssue(issue: Issue, html: string): LintWarning[] {
  const warnings: LintWarning[] = [];
  const bytes = Buffer.byteLength(html);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  if (bytes > GMAIL_CLIP_BYTES) {
    warnings.push({
      code: 'size',
      reason: 'size-over',
      params: { kb: Number((bytes / 1024).toFixed(1)) },
      message: `HTML is ${kb(bytes)}: Gmail clips messages over 102 KB`,
    });
  } else if (bytes > SIZE_WARN_BYTES) {
    warnings.push({
      code: 'size',
      reason: 'size-near',
      params: { kb: Number((bytes / 1024).toFixed(1)) },
      message: `HTML is ${kb(bytes)}: close to Gmail's 102 KB clipping limit`,
    });
  }
  if ([...issue.subject].length > SUBJECT_MAX) {
    warnings.push({
      code: 'subject',
      reason: 'subject-long',
      params: { max: SUBJECT_MAX },
      path: 'subject',
      message: `longer than ${SUBJECT_MAX} characters; inboxes cut it`,
    });
  }
  if (!issue.preheader) {
    warnings.push({
      code: 'preheader',
      reason: 'preheader-missing',
      params: {},
      path: 'preheader',
      message: 'missing: inboxes will show the first text of the mail instead',
    });
  } else if ([...issue.preheader].length > PREHEADER_MAX) {
    warnings.push({
      code: 'preheader',
      reason: 'preheader-long',
      params: { max: PREHEADER_MAX },
      path: 'preheader',
      message: `longer than ${PREHEADER_MAX} characters; inboxes show less`,
    });
  }
  walk(issue, [], (value, path) => {
    const at = formatPath(path);
    if (isImage(value, path)) {
      if (value.alt === '')
        warnings.push({
          code: 'alt',
          reason: 'alt-empty',
          params: {},
          path: `${at}.alt`,
          message: 'empty alt text: describe the image',
        });
      if (value.width === undefined) {
        warnings.push({
          code: 'width',
          reason: 'width-missing',
          params: {},
          path: `${at}.width`,
          message: 'no width: Outlook shows the image at full size',
        });
      }
      if (value.src.startsWith('http://')) {
        warnings.push({
          code: 'http',
          reason: 'image-http',
          params: {},
          path: `${at}.src`,
          message: 'image over http://: clients may block it; use https://',
        });
      }
    } else if (path.at(-1) === 'url' && typeof value === 'string' && value.startsWith('http://')) {
      warnings.push({
        code: 'http',
        reason: 'link-http',
        params: {},
        path: at,
        message: 'http:// link: prefer https://',
      });
    }
  });
  const emptyLinks = html.match(/href="(#?)"/g)?.length ?? 0;
  if (emptyLinks > 0)
    warnings.push({
      code: 'empty-link',
      reason: 'empty-links',
      params: { n: emptyLinks },
      message: `${emptyLinks} link(s) lead nowhere (empty href)`,
    });
  return warnings;
}
