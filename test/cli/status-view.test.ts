import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/send/status-view.ts';
import type { SendStatus } from '../../src/send/record/send-status.ts';
import type { SendRecord } from '../../src/send/record/send-store.ts';
import { formatDuration } from '../../src/send/record/send-text.ts';

function status(over: Partial<SendStatus>, record: Partial<SendRecord> = {}): SendStatus {
  return {
    id: 's1',
    state: 'sending',
    total: 2000,
    queued: 960,
    delivered: 1000,
    failed: 10,
    skipped: 30,
    bounced: 10,
    unsubscribed: 0,
    rate: 0,
    record: { at: 0, ...record } as SendRecord,
    ...over,
  };
}

describe('the progress line', () => {
  it('shows the share settled, the counts, the rate and the time left', () => {
    const line = progressLine(status({}), 480, 0, 10);
    expect(line).toBe(
      '[█████░░░░░]   52%  1,040/2,000  delivered 1,000 · failed 10 · skipped 30  480 msg/s  ETA 0:02  sending',
    );
  });

  it('counts down while the send is scheduled and shows no ETA', () => {
    const line = progressLine(
      status({ state: 'scheduled', delivered: 0, failed: 0, skipped: 0 }, { at: 65_000 }),
      0,
      0,
    );
    expect(line).toContain('ETA -  scheduled, starts in 1:05');
  });

  it('formats durations of minutes and hours, and unknown ones as -', () => {
    expect(formatDuration(42)).toBe('0:42');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('-');
  });
});
