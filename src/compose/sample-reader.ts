import type { Recipient } from './personalize.ts';

/** The made-up reader whose copy the preview and the screenshots show. */
export const SAMPLE_READER: Recipient = {
  unsubscribeUrl: 'https://example.org/u/sample',
  webUrl: 'https://example.org/archive/sample',
  name: 'キム・ミンジ',
};
