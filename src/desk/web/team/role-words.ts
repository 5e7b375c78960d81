import type { Role } from '../../api/schemas.ts';
import type { MessageKey } from '../i18n/i18n.tsx';

/** Each role as the desk names it to people (「執筆者」, not `writer`). */
export const ROLE_WORDS: Record<Role, MessageKey> = {
  writer: 'roleWriter',
  editor: 'roleEditor',
  sender: 'roleSender',
  admin: 'roleAdmin',
};

/** The roles in the order the desk lists them; from the words, not the server's schemas module, which the bundle would then carry whole. */
export const ROLES = Object.keys(ROLE_WORDS) as Role[];
