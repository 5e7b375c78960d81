import { messageText } from '../../../text/messages/message-text.ts';
import { fieldsLabel, pathLabel } from '../../../text/messages/path-label.ts';
import { type Check, type IssueState, useChecks, useTransition } from '../api/issues.ts';
import { can, useSession } from '../api/session.ts';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { CommentThread } from '../review/comment-thread.tsx';
import { checkLines } from './check-lines.ts';
import { focusField } from './focus-field.ts';

/** The checks, the next workflow step the signed-in person may take (ask for review, approve), and the review's conversation. */
export function Workflow({ number, state, dirty }: { number: number; state: IssueState; dirty: boolean }) {
  const { t, tn } = useI18n();
  const user = useSession().data;
  const checks = useChecks(number);
  const step = useTransition(number);
  const failing = (checks.data ?? []).filter((c) => c.level === 'error');
  const warnings = (checks.data ?? []).filter((c) => c.level === 'warning');
  return (
    <section className="workflow" aria-labelledby="checks-title">
      <h2 id="checks-title">{t('checks')}</h2>
      {checks.isPending && <p className="loading">{t('checksRunning')}</p>}
      <ErrorLine error={checks.error} />
      {checks.data && checks.data.length === 0 && <p>{t('checksPass')}</p>}
      <CheckList checks={failing} />
      {warnings.length > 0 && (
        <details>
          <summary>{tn('warningsCount', warnings.length)}</summary>
          <CheckList checks={warnings} />
        </details>
      )}
      {state === 'draft' && (
        <button type="button" disabled={dirty || step.isPending} onClick={() => step.mutate('review')}>
          {t('askReview')}
        </button>
      )}
      {state === 'in_review' && can(user, 'editor') && (
        <button
          type="button"
          className="primary"
          disabled={dirty || failing.length > 0 || step.isPending || checks.isPending}
          aria-describedby={failing.length > 0 ? 'approve-blocked' : undefined}
          onClick={() => step.mutate('approve')}
        >
          {t('approve')}
        </button>
      )}
      {failing.length > 0 && state === 'in_review' && (
        <p id="approve-blocked" className="error">
          {tn('approveBlocked', failing.length)}
        </p>
      )}
      {dirty && state === 'draft' && <p className="hint">{t('saveBeforeReview')}</p>}
      <ErrorLine error={step.error} />
      <CommentThread number={number} state={state} />
    </section>
  );
}

/**
 * Checks as a list in the UI's language, each with its level and the place it concerns in words
 * (「セクション1・記事4のタイトル」); a place is a button that scrolls to and focuses its field.
 */
export function CheckList({ checks }: { checks: Check[] }) {
  const { t } = useI18n();
  if (checks.length === 0) return null;
  return (
    <ul className="checks">
      {checkLines(checks).map((c) => {
        const where =
          c.fields.length > 1 ? fieldsLabel(c.article, c.fields, t) : c.path ? pathLabel(c.path, t) : '';
        return (
          <li key={c.key} className={`check-${c.level}`}>
            <strong>{t(c.level === 'error' ? 'checkError' : 'checkWarning')}</strong>{' '}
            {where && (
              <>
                <button
                  type="button"
                  className="link check-place"
                  title={t('goToField')}
                  onClick={() => focusField(c.path)}
                >
                  {where}
                </button>
                {t('checkSep')}
              </>
            )}
            {messageText(c, t)}
          </li>
        );
      })}
    </ul>
  );
}
