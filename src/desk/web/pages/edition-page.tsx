import { useId, useState } from 'react';
import { type TextEntry, textEntries } from '../../../issue/editions/translation.ts';
import { messageText } from '../../../text/messages/message-text.ts';
import { pathLabel } from '../../../text/messages/path-label.ts';
import { type EditionAnswer, useEdition, useEditionStep, useSaveEdition } from '../api/editions.ts';
import { isApiError } from '../api/http.ts';
import { type IssueDetail, useIssue } from '../api/issues.ts';
import { can, useSession } from '../api/session.ts';
import { localeName } from '../editions/editions-panel.tsx';
import { getIn, setIn } from '../editor/draft.ts';
import { useConfirmUnload } from '../editor/use-confirm-unload.ts';
import { CheckList } from '../editor/workflow.tsx';
import { ErrorLine } from '../error-line.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { Link } from '../router.tsx';
import { StateBadge } from '../state-badge.tsx';

/** Loads issue `number`'s default edition and its `locale` edition, then the translator's view. */
export function EditionPage({ number, locale }: { number: number; locale: string }) {
  const { t } = useI18n();
  const base = useIssue(number);
  const edition = useEdition(number, locale);
  if (base.isPending || edition.isPending) return <p className="loading">{t('loading')}</p>;
  if (!base.data || !edition.data) return <ErrorLine error={base.error ?? edition.error} />;
  return (
    <Translator
      key={`${locale}:${edition.data.revision}`}
      number={number}
      locale={locale}
      base={base.data}
      detail={edition.data}
    />
  );
}

/**
 * The translator's view: each text of the default edition, read-only, beside the field that holds
 * its translation; a field still empty is flagged untranslated, one whose default text changed since
 * the translation was saved is flagged too. Links, images and ids are the default edition's.
 */
function Translator(props: { number: number; locale: string; base: IssueDetail; detail: EditionAnswer }) {
  const { number, locale, base, detail } = props;
  const { t, tn } = useI18n();
  const user = useSession().data;
  const [draft, setDraft] = useState<unknown>(detail.issue);
  const save = useSaveEdition(number, locale);
  const step = useEditionStep(number, locale);
  const dirty = draft !== detail.issue;
  useConfirmUnload(dirty, t('unsavedQuestion'));
  // The default edition's texts whose place the edition keeps (an article it leaves out is not asked for).
  const rows = textEntries(base.issue).filter((e) => getIn(draft, e.keys.slice(0, -1)) !== undefined);
  const open = rows.filter((e) => !String(getIn(draft, e.keys) ?? '').trim()).length;
  const errors = detail.checks.filter((c) => c.level === 'error');

  return (
    <div className="editor translation">
      <div className="page-head">
        <h1>
          No.{number} {t(localeName(locale))} <StateBadge state={detail.state} />
        </h1>
        <span className="hint">{t('revisionN', { n: detail.revision })}</span>
        <Link to={`/issues/${number}`}>
          {t('editionBack', { language: t(localeName(base.issue.locale)) })}
        </Link>
      </div>
      <form
        className="editor-form"
        aria-label={t('translateIssue', { n: number, language: t(localeName(locale)) })}
        // As on the editor page: a translation is saved half done, the checks say what is left.
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ issue: draft, revision: detail.revision, basedOn: base.revision });
        }}
      >
        <div className="save-bar">
          <button type="submit" className="primary" disabled={!dirty || save.isPending}>
            {save.isPending ? t('saving') : t('save')}
          </button>
          <span aria-live="polite" className="hint">
            {dirty ? t('unsaved') : ''} {tn('untranslatedCount', open)}
          </span>
        </div>
        {save.error && isApiError(save.error) && save.error.status === 422 ? (
          <ul role="alert" className="error">
            {((save.error.body as { errors?: EditionAnswer['checks'] }).errors ?? []).map((e) => (
              <li key={`${e.path}:${e.code}`}>
                {e.path && `${pathLabel(e.path, t)}${t('checkSep')}`}
                {messageText(e, t)}
              </li>
            ))}
          </ul>
        ) : (
          <ErrorLine error={save.error} />
        )}
        {rows.map((e) => (
          <TranslationField
            key={e.path}
            entry={e}
            sourceLocale={base.issue.locale}
            value={String(getIn(draft, e.keys) ?? '')}
            before={detail.based ? getIn(detail.based, e.keys) : e.text}
            onChange={(v) => setDraft(setIn(draft, e.keys, v))}
          />
        ))}
      </form>
      <section className="workflow" aria-labelledby="edition-checks">
        <h2 id="edition-checks">{t('checks')}</h2>
        {detail.checks.length === 0 && <p>{t('checksPass')}</p>}
        <CheckList checks={detail.checks} />
        {detail.state === 'draft' && (
          <button type="button" disabled={dirty || step.isPending} onClick={() => step.mutate('review')}>
            {t('askReview')}
          </button>
        )}
        {detail.state === 'in_review' && can(user, 'editor') && (
          <button
            type="button"
            className="primary"
            disabled={dirty || errors.length > 0 || step.isPending}
            onClick={() => step.mutate('approve')}
          >
            {t('approve')}
          </button>
        )}
        {errors.length > 0 && detail.state === 'in_review' && (
          <p className="error">{tn('approveBlocked', errors.length)}</p>
        )}
        <ErrorLine error={step.error} />
      </section>
    </div>
  );
}

/** One text: the default edition's words (read-only) above the translation, with its flags. */
function TranslationField(props: {
  entry: TextEntry;
  sourceLocale: string;
  value: string;
  before: unknown;
  onChange: (value: string) => void;
}) {
  const { entry, sourceLocale, value, before, onChange } = props;
  const { t } = useI18n();
  const id = useId();
  const untranslated = entry.text.trim() !== '' && value.trim() === '';
  const changed = !untranslated && before !== entry.text;
  const long = entry.text.length > 60 || entry.keys.includes('summary');
  const common = {
    id,
    name: entry.path,
    value,
    'aria-describedby': `${id}-source`,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
  };
  return (
    <div className={`field translation-field${untranslated ? ' untranslated' : ''}`} data-path={entry.path}>
      <label htmlFor={id}>{pathLabel(entry.path, t)}</label>
      <p id={`${id}-source`} className="source-text" lang={sourceLocale}>
        <span className="hint">{t('sourceText')}</span> {entry.text}
      </p>
      {long ? <textarea {...common} rows={3} /> : <input {...common} type="text" />}
      {untranslated && <small className="field-warning flag-untranslated">{t('untranslated')}</small>}
      {changed && (
        <small className="field-warning flag-changed">
          {t('sourceChanged', { before: typeof before === 'string' ? before : '' })}
        </small>
      )}
    </div>
  );
}
