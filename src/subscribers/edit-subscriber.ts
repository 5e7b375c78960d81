import type { Locale } from '../issue/schema.ts';
import type { SubscriberStore } from './subscriber-store.ts';

/** What an editor may change about one person: name, locale, and the whole set of lists they are on. */
export interface SubscriberEdit {
  name?: string | undefined;
  locale?: Locale | undefined;
  lists?: readonly string[] | undefined;
}

/**
 * Changes a subscriber's name, locale and lists whatever their status (their status and consent are
 * untouched: joining a list never re-activates someone who left). Returns false when there is no
 * such subscriber.
 */
export async function editSubscriber(
  store: SubscriberStore,
  id: number,
  edit: SubscriberEdit,
): Promise<boolean> {
  const set: Record<string, string> = {};
  const del: string[] = [];
  if (edit.name !== undefined) {
    if (edit.name) set.n = edit.name;
    else del.push('n');
  }
  if (edit.locale !== undefined) set.l = edit.locale;
  const before = edit.lists ? ((await store.listsOf([id]))[0] ?? []) : [];
  const [result] = await store.applyMany([
    { id, change: { from: '', to: '', set, del }, ...(edit.lists ? { lists: edit.lists } : {}) },
  ]);
  if (!result || result.before === null) return false;
  if (edit.lists)
    await store.leaveLists(
      id,
      before.filter((l) => !edit.lists?.includes(l)),
    );
  return true;
}

/**
 * A reader's own change from the preference centre: the language of their edition, and which of
 * the lists they are on to stay on (`keep`; a reader may leave a list, never join one here).
 * Returns false when there is no such subscriber.
 */
export async function editOwnPreferences(
  store: SubscriberStore,
  id: number,
  choice: { locale?: Locale | undefined; keep?: readonly string[] | undefined },
): Promise<boolean> {
  const { keep } = choice;
  const lists = keep && ((await store.listsOf([id]))[0] ?? []).filter((l) => keep.includes(l));
  return editSubscriber(store, id, { locale: choice.locale, lists });
}
