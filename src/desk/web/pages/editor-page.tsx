import { useState } from 'react';
import type { Issue } from '../../../issue/schema.ts';
import { messageText } from '../../../text/messages/message-text.ts';
import { pathLabel } from '../../../text/messages/path-label.ts';
import type { ValidationAnswer } from '../../api/schemas.ts';
import { api, isApiError } from '../api/http.ts';
import { type IssueDetail, useIssue, useSaveIssue } from '../api/issues.ts';
import { EditionsPanel } from '../editions/editions-panel.tsx';
import { ConflictPanel } from '../editor/conflict-panel.tsx';
import { useDraft } from '../editor/draft.ts';
import { focusField } from '../editor/focus-field.ts';
import { IssueForm } from '../editor/issue-form.tsx';
import { JsonView } from '../editor/json-view.tsx';
import { PreviewPane } from '../editor/preview-pane.tsx';
import { useConfirmUnload } from '../editor/use-confirm-unload.ts';
import { useMediaQuery } from '../editor/use-media-query.ts';
import { Workflow } from '../editor/workflow.tsx';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { ChangeRequestNote } from '../review/change-request-note.tsx';
import { Link } from '../router.tsx';
import { StateBadge } from '../state-badge.tsx';

/** A phone's width: there the preview is a tab (wider, under 1100 px, it follows the form; styles.css). */
const PHONE = '(max-width: 700px)';

/** Loads issue `number`, then shows its editor. */
export function EditorPage({ number }: { number: number }) {
  const { t } = useI18n();
  const issue = useIssue(number);
  if (issue.isPending) return <p className="loading">{t('loading')}</p>;
  if (!issue.data) return <ErrorLine error={issue.error} />;
  return <Editor key={number} number={number} detail={issue.data} />;
}

function Editor({ number, detail }: { number: number; detail: IssueDetail }) {
  const { t, tn } = useI18n();
  const d = useDraft(detail.issue, detail.revision);
  const save = useSaveIssue(number);
  const [mode, setMode] = useState<'form' | 'json' | 'preview'>('form');
  // On a phone the preview is a tab of its own (issue 18: it sat 5,400 px down, under the whole form).
  const narrow = useMediaQuery(PHONE);
  const shown = !narrow && mode === 'preview' ? 'form' : mode;
  const [conflict, setConflict] = useState<IssueDetail | null>(null);
  const [serverErrors, setServerErrors] = useState<ValidationAnswer['errors']>([]);
  const [saved, setSaved] = useState(false);
  useConfirmUnload(d.dirty, t('unsavedQuestion'));

  const doSave = (revision: number) => {
    setSaved(false);
    save.mutate(
      { issue: d.draft, revision },
      {
        onSuccess: (r) => {
          d.rebase(d.draft, r.revision);
          setConflict(null);
          setServerErrors([]);
          setSaved(true);
        },
        onError: async (err) => {
          if (isApiError(err) && err.status === 409) setConflict(await api<IssueDetail>(`/issues/${number}`));
          if (isApiError(err) && err.status === 422) {
            setServerErrors((err.body as Partial<ValidationAnswer>).errors ?? []);
          }
        },
      },
    );
  };
  const valid = d.errors.size === 0;

  return (
    <div className="editor">
      <div className="page-head">
        <h1>
          No.{number} <StateBadge state={detail.state} />
        </h1>
        <span className="hint">{t('revisionN', { n: d.revision })}</span>
        <Link to={`/issues/${number}/history`}>{t('history')}</Link>
        <Link to={`/issues/${number}/send`}>{t('sending')}</Link>
        {(detail.state === 'scheduled' || detail.state === 'sent') && (
          <Link to={`/sends?issue=${number}`}>{t('sendsAndReports')}</Link>
        )}
      </div>
      <EditionsPanel number={number} editions={detail.editions} />
      <ChangeRequestNote number={number} state={detail.state} />
      <Workflow number={number} state={detail.state} dirty={d.dirty} />
      <div role="tablist" aria-label={t('editorMode')} className="tabs">
        <button type="button" role="tab" aria-selected={shown === 'form'} onClick={() => setMode('form')}>
          {t('formView')}
        </button>
        <button type="button" role="tab" aria-selected={shown === 'json'} onClick={() => setMode('json')}>
          {t('jsonView')}
        </button>
        {narrow && (
          <button
            type="button"
            role="tab"
            aria-selected={shown === 'preview'}
            onClick={() => setMode('preview')}
          >
            {t('previewTab')}
          </button>
        )}
      </div>
      <div className="editor-columns">
        <form
          hidden={shown === 'preview'}
          className="editor-form"
          aria-label={t('editIssue', { n: number })}
          // A draft is saved half written: the checks list what is still empty, so the browser's own
          // check of the required fields (a bubble, then no save at all) would be a dead end.
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            doSave(d.revision);
          }}
        >
          <div className="save-bar">
            <button type="submit" className="primary" disabled={!d.dirty || save.isPending}>
              {save.isPending ? t('saving') : t('save')}
            </button>
            <span aria-live="polite" className="hint">
              {d.dirty ? t('unsaved') : saved ? t('saved') : ''}
              {!valid && ` ${tn('errorsCount', d.errors.size)}`}
            </span>
          </div>
          {save.error && !(isApiError(save.error) && [409, 422].includes(save.error.status)) && (
            <ErrorLine error={save.error} />
          )}
          {serverErrors.length > 0 && (
            <ul role="alert" className="error">
              {serverErrors.map((e) => (
                <li key={`${e.path}:${e.code}`}>
                  {e.path && (
                    <>
                      <button type="button" className="link" onClick={() => focusField(e.path)}>
                        {pathLabel(e.path, t)}
                      </button>
                      {t('checkSep')}
                    </>
                  )}
                  {messageText(e, t)}
                </li>
              ))}
            </ul>
          )}
          {conflict && (
            <ConflictPanel
              mine={d.draft}
              theirs={conflict.issue}
              revision={conflict.revision}
              onKeepMine={() => doSave(conflict.revision)}
              onTakeTheirs={() => {
                d.rebase(conflict.issue, conflict.revision, conflict.issue);
                setConflict(null);
              }}
            />
          )}
          {shown !== 'json' ? (
            <IssueForm d={d} issue={number} />
          ) : (
            <JsonView draft={d.draft} onChange={(next: Issue) => d.replace(next)} />
          )}
        </form>
        {(!narrow || shown === 'preview') && <PreviewPane number={number} draft={d.draft} valid={valid} />}
      </div>
    </div>
  );
}
