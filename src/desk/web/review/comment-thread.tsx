import { useId, useState } from 'react';
import { useAddComment, useComments, useRequestChanges } from '../api/conversation.ts';
import type { IssueState } from '../api/issues.ts';
import { can, useSession } from '../api/session.ts';
import { ErrorLine } from '../error-line.tsx';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** The longest comment the API takes (MAX_COMMENT in src/issue/issue-events.ts). */
const MAX_COMMENT = 4000;

/**
 * The review's conversation: every comment and change request, oldest first, and a box to add one;
 * an editor may send an issue in review back to draft with what is in the box.
 */
export function CommentThread({ number, state }: { number: number; state: IssueState }) {
  const { t, locale } = useI18n();
  const user = useSession().data;
  const comments = useComments(number);
  const add = useAddComment(number);
  const back = useRequestChanges(number);
  const [text, setText] = useState('');
  const boxId = useId();
  const busy = add.isPending || back.isPending;
  const empty = text.trim().length === 0;
  const done = { onSuccess: () => setText('') };
  return (
    <div className="conversation">
      <h3>{t('conversation')}</h3>
      <ErrorLine error={comments.error} />
      {comments.data && comments.data.length === 0 && <p className="hint">{t('noComments')}</p>}
      <ol className="comments">
        {(comments.data ?? []).map((c) => (
          <li key={`${c.at}:${c.by}`} className={c.kind === 'changes' ? 'comment changes' : 'comment'}>
            <strong>{c.name}</strong>
            {c.kind === 'changes' && ` · ${t('changesRequested')}`}{' '}
            <time dateTime={c.at} className="hint">
              {formatTime(c.at, locale)}
            </time>
            <p className="comment-text">{c.text}</p>
          </li>
        ))}
      </ol>
      <label htmlFor={boxId}>{t('commentLabel')}</label>
      <textarea
        id={boxId}
        className="comment-box"
        rows={3}
        maxLength={MAX_COMMENT}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="comment-actions">
        <button type="button" disabled={empty || busy} onClick={() => add.mutate(text, done)}>
          {t('addComment')}
        </button>
        {state === 'in_review' && can(user, 'editor') && (
          <button type="button" disabled={empty || busy} onClick={() => back.mutate(text, done)}>
            {t('requestChanges')}
          </button>
        )}
      </div>
      <ErrorLine error={add.error ?? back.error} />
    </div>
  );
}
