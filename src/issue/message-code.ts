import { z } from 'zod';

/**
 * A message's values: numbers and words it names (a minimum, a file name, a URL). A value whose name
 * ends in `Path` is a JSON path, which each face shows as the place a person reads.
 */
export const MessageParams = z.record(z.string(), z.union([z.string(), z.number()]));
export type MessageParams = z.infer<typeof MessageParams>;

/** A message as a code and its values: the faces turn it into a sentence (STYLE habit 14). */
export interface Coded {
  code: string;
  params: MessageParams;
}

/** Regex patterns of the schema and the code their refusal has (zod gives a regex refusal no params). */
const PATTERN_CODES: Record<string, string> = {
  '^[a-z0-9][a-z0-9-]*$': 'slug',
  '^\\d{4}-(0[1-9]|1[0-2])$': 'month',
};

/**
 * The code and values of one zod issue: its own for a refinement that gives `params.code`, else one
 * per kind of refusal (`required`, `empty`, `too-few`…); `invalid` when none fits (the faces then
 * show the English message).
 */
export function codeOfIssue(iss: z.core.$ZodIssue): Coded {
  const input = (iss as { input?: unknown }).input;
  if ((iss.code === 'invalid_type' || iss.code === 'invalid_value') && input === undefined) {
    return { code: 'required', params: {} };
  }
  switch (iss.code) {
    case 'invalid_type':
      return { code: 'type', params: { expected: iss.expected } };
    case 'unrecognized_keys':
      return { code: 'unknown-fields', params: { keys: iss.keys.join(', ') } };
    case 'too_small':
      if (iss.origin === 'string') return { code: 'empty', params: {} };
      if (iss.origin === 'array') return { code: 'too-few', params: { minimum: Number(iss.minimum) } };
      return { code: 'too-small', params: { minimum: Number(iss.minimum) } };
    case 'too_big':
      if (iss.origin === 'array') return { code: 'too-many', params: { maximum: Number(iss.maximum) } };
      return { code: 'too-big', params: { maximum: Number(iss.maximum) } };
    case 'invalid_value':
      return { code: 'one-of', params: { values: iss.values.map(String).join(', ') } };
    case 'invalid_format': {
      const pattern = (iss as { pattern?: string }).pattern;
      if (iss.format === 'regex' && pattern && PATTERN_CODES[pattern]) {
        return { code: PATTERN_CODES[pattern], params: {} };
      }
      if (iss.format === 'date' || iss.format === 'email') return { code: iss.format, params: {} };
      return { code: 'invalid', params: {} };
    }
    case 'custom': {
      const { code, ...params } = (iss.params ?? {}) as Record<string, string | number>;
      return typeof code === 'string' ? { code, params } : { code: 'invalid', params: {} };
    }
    default:
      return { code: 'invalid', params: {} };
  }
}
