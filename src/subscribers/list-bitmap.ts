/**
 * Reads subscriber ids out of a slice of a list bitmap (Redis bit order: bit 0 is the high bit of
 * byte 0, so bit n of the bitmap is subscriber n). `firstByte` is the slice's offset in the bitmap;
 * only ids above `afterId` are returned, at most `max` of them, in ascending order.
 */
export function idsFromBitmap(slice: Uint8Array, firstByte: number, afterId: number, max: number): number[] {
  const ids: number[] = [];
  for (let i = 0; i < slice.length && ids.length < max; i++) {
    const byte = slice[i] as number;
    if (byte === 0) continue;
    const base = (firstByte + i) * 8;
    for (let bit = 0; bit < 8; bit++) {
      if ((byte & (0x80 >> bit)) === 0) continue;
      const id = base + bit;
      if (id > afterId) {
        ids.push(id);
        if (ids.length === max) break;
      }
    }
  }
  return ids;
}
