import { HTTPException } from 'hono/http-exception';

/** What a request whose body could not be read is told (issue 17: a 400 and a sentence, never a 500). */
export const UNREADABLE_BODY = {
  malformed: 'The body could not be read: it is not well-formed JSON or form data.',
  type: 'The body must be JSON, sent with Content-Type: application/json.',
} as const;

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** Whether a Content-Type header names JSON (parameters such as charset allowed). */
export function isJsonType(contentType: string | undefined): boolean {
  return JSON_TYPE.test((contentType ?? '').split(';')[0]?.trim() ?? '');
}

/**
 * The sentence for an error that means the request's body could not be read, or null for any other
 * error. Hono's validators throw HTTPException 400 for malformed JSON or form data, and
 * zod-openapi 415 for a Content-Type a route does not declare; both are the caller's mistake, so
 * they are answered with 400 and not logged (a log line per bad request would let anyone fill it).
 */
export function unreadableBody(err: unknown): string | null {
  if (!(err instanceof HTTPException)) return null;
  if (err.status === 415) return UNREADABLE_BODY.type;
  if (err.status === 400) return UNREADABLE_BODY.malformed;
  return null;
}
