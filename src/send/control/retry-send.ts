import { GazetteError } from '../../errors.ts';
import { JOB } from '../../queue-names.ts';
import { fanoutJobOptions, type Queues } from '../jobs/queues.ts';
import type { SendStore } from '../record/send-store.ts';

/** What retrying a send needs. */
export interface RetryDeps {
  sends: Pick<SendStore, 'get' | 'retryableCount' | 'beginRetry'>;
  queues: Pick<Queues, 'send'>;
}

/** What `retrySend` started: the pass (2 for the first retry) and how many recipients it retries. */
export interface RetryStarted {
  id: string;
  pass: number;
  recipients: number;
}

/**
 * Delivers a finished send again to its recipients who failed for a temporary cause (4xx, a lost
 * connection, the relay refusing us, a stalled batch), never to those refused for their own
 * address, unsubscribed, suppressed or already delivered (the deliver worker checks the last two
 * again). The pass's fan-out job goes first under a deterministic id, then the pass begins
 * atomically, so running it twice (or crashing in between) retries each recipient once. Throws
 * GazetteError when the send is missing, not done, or has no one to retry.
 */
export async function retrySend(deps: RetryDeps, id: string): Promise<RetryStarted> {
  const record = await deps.sends.get(id);
  if (!record)
    throw new GazetteError(`There is no send "${id}"; \`gazette status\` lists the sends.`, {
      code: 'E_NO_SEND',
    });
  if (record.state !== 'done') {
    throw new GazetteError(`Send ${id} is ${record.state}; retry it once it is done.`, { code: 'E_STATE' });
  }
  if ((await deps.sends.retryableCount(id)) === 0) {
    throw new GazetteError(
      `Send ${id} has no recipients failed for a temporary cause; nobody to deliver to again.`,
      { code: 'E_NOTHING_TO_RETRY' },
    );
  }
  const pass = (record.pass ?? 1) + 1;
  await deps.queues.send.add(JOB.fanout, { sendId: id, pass }, fanoutJobOptions(id, 0, pass));
  const { status, detail } = await deps.sends.beginRetry(id, pass);
  if (status < 0) {
    throw new GazetteError(
      `Send ${id} changed while retrying (${detail || status}); look at \`gazette status ${id}\`.`,
      {
        code: 'E_STATE',
      },
    );
  }
  return { id, pass, recipients: Number(detail) };
}
