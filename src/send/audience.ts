/** A subscriber as the sender reads it (the subscriber store's record satisfies this). */
export interface AudienceMember {
  id: number;
  email: string;
  name: string;
  status: string;
  /** The reader's language, which chooses their edition of a send. */
  locale?: string;
}

/**
 * What sending needs from the subscriber store (src/subscribers/subscriber-store.ts satisfies it): paging a
 * list in id order, loading records and suppression in bulk, and counting unsubscribes per send.
 */
export interface Audience {
  listSize(list: string): Promise<number>;
  pageList(list: string, afterId: number, count: number): Promise<number[]>;
  getMany(ids: readonly number[]): Promise<(AudienceMember | null)[]>;
  areSuppressed(emails: readonly string[]): Promise<boolean[]>;
  unsubscribesForSend(sendId: string): Promise<number>;
}

/** A recipient of one batch: sendable, or skipped with the reason. */
export type BatchRecipient =
  | { id: number; sendable: true; member: AudienceMember }
  | { id: number; sendable: false; why: 'missing' | 'inactive' | 'suppressed' };

/**
 * Loads a batch's recipients (records, then the suppression of their addresses) and says who may
 * be mailed: only `active` subscribers whose address is not suppressed, checked now, at delivery.
 */
export async function loadBatch(subscribers: Audience, ids: readonly number[]): Promise<BatchRecipient[]> {
  const members = await subscribers.getMany(ids);
  const active = members.filter((m): m is AudienceMember => m !== null && m.status === 'active');
  const suppressed = await subscribers.areSuppressed(active.map((m) => m.email));
  const blocked = new Set(active.filter((_, i) => suppressed[i]).map((m) => m.id));
  return ids.map((id, i): BatchRecipient => {
    const member = members[i];
    if (!member) return { id, sendable: false, why: 'missing' };
    if (member.status !== 'active') return { id, sendable: false, why: 'inactive' };
    if (blocked.has(id)) return { id, sendable: false, why: 'suppressed' };
    return { id, sendable: true, member };
  });
}
