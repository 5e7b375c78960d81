import { useState } from 'react';
import { isPlaceholder } from '../../../issue/drafts/placeholder-mark.ts';
import type { Issue } from '../../../issue/schema.ts';
import { messageText } from '../../../text/messages/message-text.ts';
import { pathLabel } from '../../../text/messages/path-label.ts';
import { useDraftPreview } from '../api/previews.ts';
import { useSender } from '../api/session.ts';
import { ErrorLine } from '../error-line.tsx';
import { formatCount } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { focusField } from './focus-field.ts';

/**
 * The mail as a line of a reader's inbox: the sender, the subject in bold and the preheader in grey,
 * cut to one line as mail apps do (a text still to be written shows as the field's hint).
 */
function InboxLine({ draft }: { draft: Issue }) {
  const { t } = useI18n();
  const sender = useSender().data ?? '';
  const subject = isPlaceholder(draft.subject) ? '' : draft.subject;
  const preheader = isPlaceholder(draft.preheader) ? '' : (draft.preheader ?? '');
  return (
    <figure className="inbox-line" aria-label={t('inboxLine')} data-testid="inbox-line">
      <span className="inbox-sender">{sender}</span>
      <span className="inbox-text">
        <strong className={subject ? 'inbox-subject' : 'inbox-subject unwritten'}>
          {subject || t('phSubject')}
        </strong>
        {preheader && <span className="inbox-preheader"> — {preheader}</span>}
      </span>
    </figure>
  );
}

/** The draft as readers will get it: the mail at 600 or 375 px, its plain text, its size against Gmail's clip. */
export function PreviewPane({ number, draft, valid }: { number: number; draft: Issue; valid: boolean }) {
  const { t, locale } = useI18n();
  const preview = useDraftPreview(number, draft, valid);
  const [view, setView] = useState<'600' | '375' | 'text'>('600');
  const p = preview.data;
  return (
    <section className="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{t('preview')}</h2>
      <div role="radiogroup" aria-label={t('previewView')} className="segmented">
        {(['600', '375', 'text'] as const).map((v) => (
          <label key={v}>
            <input type="radio" name="preview-view" checked={view === v} onChange={() => setView(v)} />
            <span>{v === 'text' ? t('plainText') : `${v} px`}</span>
          </label>
        ))}
      </div>
      <InboxLine draft={draft} />
      {!valid && <p className="hint">{t('previewWaitsForValid')}</p>}
      <ErrorLine error={preview.error} />
      {p && (
        <>
          <p className={p.bytes > p.clipBytes ? 'error' : 'hint'} data-testid="preview-size">
            {t('previewSize', {
              kb: formatCount(Math.round(p.bytes / 102.4) / 10, locale),
              clip: formatCount(Math.round(p.clipBytes / 1024), locale),
            })}
            {p.bytes > p.clipBytes && ` ${t('previewClipped')}`}
          </p>
          {view === 'text' ? (
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
            <pre className="plain-text" tabIndex={0}>
              {p.text}
            </pre>
          ) : (
            <iframe
              title={t('previewFrame', { width: view })}
              src={p.html}
              sandbox="allow-popups allow-popups-to-escape-sandbox allow-same-origin"
              style={{ width: `${view}px` }}
              className="mail-frame"
            />
          )}
          {p.warnings.length > 0 && (
            <ul className="warnings" aria-label={t('lintWarnings')}>
              {p.warnings.map((w) => (
                <li key={`${w.path}:${w.code}`}>
                  {w.path && (
                    <>
                      <button type="button" className="link" onClick={() => focusField(w.path ?? '')}>
                        {pathLabel(w.path, t)}
                      </button>
                      {t('checkSep')}
                    </>
                  )}
                  {messageText(w, t)}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {preview.isFetching && (
        <p className="hint" aria-live="polite">
          {t('previewUpdating')}
        </p>
      )}
    </section>
  );
}
