import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';

/** How a body part is written on the wire. */
export type TransferEncoding = 'quoted-printable' | 'base64';

/** One static piece of a base64 part, prepared for a given number (0-2) of carried-over bytes. */
interface Base64Piece {
  /** Bytes that complete the carried-over bytes to a multiple of three (null: the piece is too short). */
  head: Buffer | null;
  /** The aligned middle, already base64 and wrapped (may be empty). */
  middle: Buffer;
  /** The 0-2 bytes left over, carried into the next value. */
  tail: Buffer;
}

/**
 * A body part encoded once per send, with holes where each recipient's values go. In a
 * quoted-printable part the static pieces are pre-encoded and end at a line end. In a base64
 * part each static piece is pre-encoded for each of the three byte alignments it can start at,
 * so a recipient costs only the encoding of the few bytes around each value.
 */
export type PartTemplate =
  | { encoding: 'quoted-printable'; slots: string[]; pieces: Buffer[] }
  | { encoding: 'base64'; slots: string[]; first: Base64Piece; pieces: Base64Piece[][] };

const CRLF = Buffer.from('\r\n');
const SOFT_BREAK = '=\r\n';
const BASE64_LINE = 76;
/** One less than the limit, leaving room for the `=` of the soft break that ends each piece and value. */
const QP_LINE = 75;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Splits `body` at every marker, giving the static pieces and the slot name of each hole. */
function splitAtMarkers(
  body: string,
  markers: Record<string, string>,
): { pieces: string[]; slots: string[] } {
  const bySlot = new Map(Object.entries(markers).map(([slot, marker]) => [marker, slot]));
  const pattern = new RegExp([...bySlot.keys()].map(escapeRegExp).join('|'), 'g');
  const pieces: string[] = [];
  const slots: string[] = [];
  let last = 0;
  for (const match of body.matchAll(pattern)) {
    pieces.push(body.slice(last, match.index));
    slots.push(bySlot.get(match[0]) as string);
    last = match.index + match[0].length;
  }
  pieces.push(body.slice(last));
  return { pieces, slots };
}

/**
 * Quoted-printable for a static piece. Every piece but the last ends at a line end (a soft break
 * unless it already ends in CRLF), so the value spliced after it starts at column 0 and no line
 * ever passes 76 characters, whatever the value's length.
 */
function qpPiece(text: string, isLast: boolean): Buffer {
  const encoded = qpWrap(qpEncode(text), QP_LINE);
  const needsBreak = !isLast && encoded !== '' && !encoded.endsWith('\r\n');
  return Buffer.from(needsBreak ? encoded + SOFT_BREAK : encoded, 'latin1');
}

/** A recipient's value in quoted-printable, ending in a soft break like the pieces do. */
function qpValue(value: string): Buffer {
  if (value === '') return Buffer.alloc(0);
  return Buffer.from(qpWrap(qpEncode(value), QP_LINE) + SOFT_BREAK, 'latin1');
}

/** Picks the shorter encoding for this text: quoted-printable for mostly-ASCII, else base64. */
function chooseEncoding(bytes: Buffer): TransferEncoding {
  const qpLength = qpWrap(qpEncode(bytes), QP_LINE).length;
  const base64Length = Math.ceil(bytes.length / 3) * 4 * ((BASE64_LINE + 2) / BASE64_LINE);
  return qpLength <= base64Length ? 'quoted-printable' : 'base64';
}

/** Wraps base64 text into lines of 76 characters joined by CRLF. */
function wrapBase64(base64: string): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += BASE64_LINE) lines.push(base64.slice(i, i + BASE64_LINE));
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

/** Prepares a static piece for a start after `carry` pending bytes (see Base64Piece). */
function base64Piece(bytes: Buffer, carry: number): Base64Piece {
  const headLength = (3 - carry) % 3;
  if (bytes.length < headLength) return { head: null, middle: Buffer.alloc(0), tail: bytes };
  const end = bytes.length - ((bytes.length - headLength) % 3);
  return {
    head: bytes.subarray(0, headLength),
    middle: wrapBase64(bytes.subarray(headLength, end).toString('base64')),
    tail: bytes.subarray(end),
  };
}

/**
 * Compiles a text or HTML body into a part template. Line ends become CRLF; `markers` maps each
 * slot name to the placeholder text that marks it in `body`.
 */
export function compilePart(body: string, markers: Record<string, string>): PartTemplate {
  const normalized = body.replace(/\r?\n/g, '\r\n');
  const { pieces, slots } = splitAtMarkers(normalized, markers);
  if (chooseEncoding(Buffer.from(normalized)) === 'quoted-printable') {
    return {
      encoding: 'quoted-printable',
      slots,
      pieces: pieces.map((piece, i) => qpPiece(piece, i === pieces.length - 1)),
    };
  }
  const raw = pieces.map((piece) => Buffer.from(piece));
  return {
    encoding: 'base64',
    slots,
    first: base64Piece(raw[0] as Buffer, 0),
    pieces: raw.slice(1).map((bytes) => [0, 1, 2].map((carry) => base64Piece(bytes, carry))),
  };
}

/**
 * Appends the encoded bytes of one recipient's copy of `part` to `out`. `values` gives each
 * slot's text; a slot without a value is left empty.
 */
export function renderPart(part: PartTemplate, values: Record<string, string>, out: Buffer[]): void {
  if (part.encoding === 'quoted-printable') {
    out.push(part.pieces[0] as Buffer);
    for (let i = 0; i < part.slots.length; i++) {
      out.push(qpValue(values[part.slots[i] as string] ?? ''), part.pieces[i + 1] as Buffer);
    }
    return;
  }
  // Base64 lines may be shorter than 76 characters (RFC 2045 6.8 sets only the maximum), so each
  // run encoded here simply starts a new line next to the prebuilt ones.
  const lines: Buffer[] = [];
  if (part.first.middle.length > 0) lines.push(part.first.middle);
  let pending = part.first.tail;
  for (let i = 0; i < part.slots.length; i++) {
    pending = Buffer.concat([pending, Buffer.from(values[part.slots[i] as string] ?? '')]);
    const piece = (part.pieces[i] as Base64Piece[])[pending.length % 3] as Base64Piece;
    if (piece.head === null) {
      pending = Buffer.concat([pending, piece.tail]);
      continue;
    }
    const run = Buffer.concat([pending, piece.head]);
    if (run.length > 0) lines.push(wrapBase64(run.toString('base64')));
    if (piece.middle.length > 0) lines.push(piece.middle);
    pending = piece.tail;
  }
  if (pending.length > 0) lines.push(wrapBase64(pending.toString('base64')));
  lines.forEach((line, i) => {
    if (i > 0) out.push(CRLF);
    out.push(line);
  });
}
