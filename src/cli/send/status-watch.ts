import { GazetteError } from '../../errors.ts';
import { type SendStatus, type StatusDeps, sendStatus, statusJson } from '../../send/record/send-status.ts';
import { progressLine } from './status-view.ts';

/** Where the watch writes: a terminal gets one redrawn line, anything else plain lines. */
export interface WatchOutput {
  write(text: string): void;
  /** True for an interactive terminal (and not CI): redraw the bar in place. */
  live: boolean;
}

const POLL_MS = 250;
/** Without a terminal, a line this often (and at every change of state). */
const PLAIN_EVERY_MS = 2000;

/**
 * Follows a send until it is done or cancelled, drawing a progress bar with the current rate and
 * ETA (or JSON lines with `json`). Returns the final status; throws GazetteError for an unknown send.
 */
export async function watchSend(
  deps: StatusDeps,
  id: string,
  out: WatchOutput,
  opts: { json?: boolean; pollMs?: number } = {},
): Promise<SendStatus> {
  const clock = deps.clock ?? Date.now;
  let rate = 0;
  let previous: { settled: number; at: number } | null = null;
  let lastPrint = { at: 0, text: '', state: '' };
  for (;;) {
    const s = await sendStatus(deps, id);
    if (!s) throw new GazetteError(`There is no send "${id}"; \`gazette status\` lists the sends.`);
    const now = clock();
    const settled = s.delivered + s.failed + s.skipped;
    if (previous && now > previous.at) {
      const instant = ((settled - previous.settled) * 1000) / (now - previous.at);
      rate = rate === 0 ? instant : 0.8 * rate + 0.2 * instant;
    }
    previous = { settled, at: now };
    const finished = s.state === 'done' || s.state === 'cancelled';
    const text = opts.json ? JSON.stringify(statusJson(s)) : progressLine(s, finished ? s.rate : rate, now);
    const due = now - lastPrint.at >= PLAIN_EVERY_MS || s.state !== lastPrint.state || finished;
    if (opts.json) {
      if (text !== lastPrint.text) out.write(`${text}\n`);
    } else if (out.live) {
      out.write(`\r\x1b[2K${text}${finished ? '\n' : ''}`);
    } else if (due) {
      out.write(`${text}\n`);
    }
    if (opts.json || out.live || due) lastPrint = { at: now, text, state: s.state };
    if (finished) return s;
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? POLL_MS));
  }
}
