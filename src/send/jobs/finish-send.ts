import { CAUSE_LABEL } from '../record/send-failures.ts';
import type { SendStore } from '../record/send-store.ts';
import { formatCount, formatDuration } from '../record/send-text.ts';

/** The worker's log line for a send that just finished: what went where, why some failed, how fast. */
export async function finishedLine(
  sends: Pick<SendStore, 'get' | 'counts' | 'failures'>,
  id: string,
): Promise<string> {
  const [record, counts, failures] = await Promise.all([sends.get(id), sends.counts(id), sends.failures(id)]);
  const why = failures.map((g) => `${CAUSE_LABEL[g.cause]} ${formatCount(g.count)}`).join(', ');
  const seconds = record?.startedAt && record.doneAt ? (record.doneAt - record.startedAt) / 1000 : 0;
  const rate = seconds > 0 ? ` (${(counts.delivered / seconds).toFixed(0)} msg/s)` : '';
  const pass = (record?.pass ?? 1) > 1 ? ` after retry ${(record?.pass ?? 1) - 1}` : '';
  return (
    `send ${id} done${pass}: issue ${record?.issue ?? '?'} to list ${record?.list ?? '?'}, ` +
    `${formatCount(counts.delivered)} delivered, ${formatCount(counts.failed)} failed${why ? ` (${why})` : ''}, ` +
    `${formatCount(counts.skipped)} skipped, ${formatCount(counts.bounced)} bounced, in ${formatDuration(seconds)}${rate}`
  );
}

/** Told once when a send finishes (the desk's notice to the people who worked on the issue). */
export type OnSendFinished = (sendId: string) => Promise<void>;

/** Finishes the send if everything is settled; logs the finished line and tells `onFinished` when this call did. */
export async function finishSend(
  deps: {
    sends: Pick<SendStore, 'finishIfComplete' | 'get' | 'counts' | 'failures'>;
    log: (msg: string) => void;
    onFinished?: OnSendFinished;
  },
  id: string,
): Promise<boolean> {
  if (!(await deps.sends.finishIfComplete(id))) return false;
  deps.log(await finishedLine(deps.sends, id));
  // Only the call that finished the send gets here, so whoever listens hears it once; a failing
  // listener (a notice that cannot be mailed) is logged and never fails the job.
  await deps
    .onFinished?.(id)
    .catch((err: Error) => deps.log(`send ${id}: after-finish step failed: ${err.message}`));
  return true;
}
