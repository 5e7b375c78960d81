import { crc32, createDeflate } from 'node:zlib';

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, tail]);
}

/** Deflates `rows` rows of `rowBytes` zero bytes as a stream, never holding the raw pixels. */
async function deflatedZeros(rowBytes: number, rows: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise((resolve) => deflate.on('end', resolve));
  const batch = Math.min(rows, 64);
  const block = Buffer.alloc(rowBytes * batch);
  for (let done = 0; done < rows; done += batch) {
    const part = done + batch <= rows ? block : block.subarray(0, rowBytes * (rows - done));
    if (!deflate.write(part)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await ended;
  return Buffer.concat(parts);
}

/**
 * A valid RGB PNG of `width`×`height` black pixels, written by hand: its zeros deflate about 1000 to 1,
 * so a 16000×16000 image (768 MB once decoded) is a file of under 1 MB, as an attacker sends it.
 */
export async function blackPng(width: number, height: number): Promise<Buffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per sample
  header[9] = 2; // RGB; compression, filter and interlace stay 0
  // Each row is its filter byte (0, none) and three bytes a pixel.
  const pixels = await deflatedZeros(1 + width * 3, height);
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
