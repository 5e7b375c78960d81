/** Where a send is in its life (no Redis here: the desk web app imports it). */
export const SEND_STATES = ['scheduled', 'sending', 'paused', 'done', 'cancelled'] as const;
export type SendState = (typeof SEND_STATES)[number];
