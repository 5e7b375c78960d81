import type { IssueState } from './api/issues.ts';
import { useI18n } from './i18n/i18n.tsx';

/** An issue's state as a word on a coloured label (the word carries the meaning, not the colour). */
export function StateBadge({ state }: { state: IssueState }) {
  const { t } = useI18n();
  return <span className={`badge badge-${state}`}>{t(`state_${state}`)}</span>;
}
