import type { AddressHistory } from '../../bounces/address-history.ts';
import type { SendBounceStats } from '../../bounces/bounce-store.ts';
import { type BounceReason, kindOf } from '../../bounces/classify/result.ts';
import type { BounceEvent } from '../../bounces/event.ts';
import { formatInstant } from '../../send/control/send-time.ts';

/**
 * Text from outside (a remote server's diagnostic, an address in a bounce) made safe for a terminal:
 * control characters (escape sequences included) become spaces, runs of spaces one, cut at `max`.
 */
export function terminalText(value: string, max = 160): string {
  const flat = value.replace(/[\p{Cc}\p{Cf}\s]+/gu, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** One event on one line: when, kind, reason, status, address, send, source, what was done, the words. */
export function eventLine(e: BounceEvent, zone: string): string {
  const source = e.verified ? e.source : `${e.source}, unverified`;
  return [
    formatInstant(e.at, zone),
    e.kind.padEnd(9),
    e.reason.padEnd(15),
    (e.status || '-').padEnd(7),
    terminalText(e.email, 80),
    `send ${e.send ?? '-'}`,
    `(${source})`,
    `${e.action}${e.soft ? ` (soft bounce ${e.soft} in the window)` : ''} — ${terminalText(e.diagnostic) || 'no diagnostic'}`,
  ].join('  ');
}

/**
 * A send's bounces for `gazette status <send>`: counts by reason (hard ones marked), complaints, and
 * why the send paused itself, if it did. Empty when there is nothing to say.
 */
export function sendBounceLines(stats: SendBounceStats, pausedBecause: string | null): string[] {
  const lines: string[] = [];
  const reasons = (Object.entries(stats.reasons) as [BounceReason, number][])
    .filter(([reason, n]) => reason !== 'complaint' && n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${reason} ${n}${kindOf(reason) === 'hard' ? ' (hard)' : ''}`);
  if (reasons.length > 0) lines.push(`bounces by reason: ${reasons.join(' · ')}`);
  if (stats.complaint > 0) lines.push(`complaints: ${stats.complaint}`);
  if (pausedBecause) lines.push(pausedBecause);
  return lines;
}

/** An address's history for `gazette subscribers show`, for a person. */
export function historyLines(h: AddressHistory, zone: string): string[] {
  const when = (iso: string) => formatInstant(Date.parse(iso), zone);
  const s = h.subscriber;
  const lines = [
    s ? `${terminalText(h.email)} (subscriber ${s.id})` : `${terminalText(h.email)} (not a subscriber)`,
  ];
  if (s) {
    const name = s.name ? `name ${JSON.stringify(terminalText(s.name, 80))} · ` : '';
    lines.push(`  ${name}locale ${s.locale} · lists ${h.lists.join(', ') || '(none)'}`);
    lines.push(`  status ${s.status} · created ${when(s.createdAt)} · updated ${when(s.updatedAt)}`);
    if (s.consent) {
      const c = s.consent;
      lines.push(`  consent: ${c.source} on ${when(c.at)} by ${terminalText(c.by, 80)}`);
      if (h.consentWording) lines.push(`    wording: ${JSON.stringify(terminalText(h.consentWording, 300))}`);
    } else {
      lines.push('  consent: none recorded');
    }
    if (s.left) {
      const send = s.left.sendId !== '0' ? `, mail of send ${s.left.sendId}` : '';
      const why = s.left.reason ? ` (${terminalText(s.left.reason, 120)})` : '';
      lines.push(
        `  left: ${s.status} on ${when(s.left.at)} via ${s.left.via} by ${terminalText(s.left.by, 80)}${send}${why}`,
      );
    }
  }
  lines.push(
    h.suppression
      ? `  suppressed: ${h.suppression.reason} since ${when(h.suppression.at)}`
      : '  suppressed: no',
  );
  const soft = h.softBounces;
  lines.push(
    `  soft bounces in the last ${soft.days} days: ${soft.count} (suppressed at ${soft.limit}, or after ${soft.sendsInARow} sends in a row that soft-bounced)`,
  );
  lines.push(h.events.length > 0 ? `  bounce events (${h.events.length}):` : '  bounce events: none');
  for (const e of h.events) lines.push(`    ${eventLine(e, zone)}`);
  return lines;
}
