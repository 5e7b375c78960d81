/** One block of `Name: value` fields; names lower-cased, each holding its values in order. */
export type FieldGroup = Map<string, string[]>;

const FIELD_LINE = /^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$/;

/**
 * The longest field value kept (issue 17): a diagnostic folded over thousands of lines is cut here
 * rather than rebuilt whole at every line, which cost the square of its length.
 */
const MAX_VALUE = 4096;

/** How a kind of field block departs from the plain rules (a DSN's, as hand-made reports write it). */
export interface GroupRules {
  /** Field names (lower case) that start a field even on an indented line, which otherwise continues the one above. */
  indentedFields?: ReadonlySet<string>;
  /** True when field `name` with `value` starts a new group though no blank line came before it. */
  opensGroup?: (name: string, value: string, group: FieldGroup) => boolean;
}

/**
 * Parses header-style field blocks (RFC 3464 §2.1, RFC 5965 §3.1, RFC 5322 headers): blank lines separate
 * groups, a line starting with white space continues the field above (unfolded with one space), and lines
 * that are neither are skipped. Accepts CRLF, LF or CR line ends. `rules` may name indented lines that are
 * fields after all, and fields that open a group of their own; they see each field whole, however it was folded.
 */
export function parseFieldGroups(text: string, rules: GroupRules = {}): FieldGroup[] {
  const groups: FieldGroup[] = [];
  let group: FieldGroup | null = null;
  for (const item of unfoldedFields(text, rules)) {
    if (item === null) {
      group = null;
      continue;
    }
    const { name, value } = item;
    if (!group || rules.opensGroup?.(name, value, group)) {
      group = new Map();
      groups.push(group);
    }
    group.set(name, [...(group.get(name) ?? []), value]);
  }
  return groups;
}

/**
 * The fields of `text` in order, each with its folded lines joined (cut at MAX_VALUE), and null for each blank
 * line between groups.
 */
function* unfoldedFields(text: string, rules: GroupRules): Generator<{ name: string; value: string } | null> {
  let current: { name: string; parts: string[]; length: number } | null = null;
  const whole = (f: { name: string; parts: string[] }) => ({
    name: f.name,
    value: f.parts.join(' ').trim().slice(0, MAX_VALUE),
  });
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim() === '') {
      if (current) yield whole(current);
      current = null;
      yield null;
      continue;
    }
    const indented = /^[ \t]/.test(line);
    const m = FIELD_LINE.exec(indented ? line.trimStart() : line);
    const name = (m?.[1] ?? '').toLowerCase();
    if (indented && !(m && rules.indentedFields?.has(name))) {
      // Parts are kept until the value is long enough: a value folded over thousands of lines costs no more.
      if (current && current.length < MAX_VALUE) {
        const part = line.trim();
        current.parts.push(part);
        current.length += part.length + 1;
      }
      continue;
    }
    // A line that is no field is skipped; a folded line after it still continues the field above it.
    if (!m) continue;
    if (current) yield whole(current);
    const first = (m[2] as string).trim();
    current = { name, parts: [first], length: first.length };
  }
  if (current) yield whole(current);
}

/** The first value of field `name` in `group`, or ''. */
export function field(group: FieldGroup, name: string): string {
  return group.get(name)?.[0] ?? '';
}

/** The header block of a message (everything before the first blank line), parsed as one group. */
export function parseHeaderBlock(message: string): FieldGroup {
  const end = /\r?\n\r?\n|\r\r/.exec(message);
  return parseFieldGroups(end ? message.slice(0, end.index) : message)[0] ?? new Map();
}
