const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const encoder = new TextEncoder();
let scratch = new Uint8Array(256);
let view = new DataView(scratch.buffer);

/** MurmurHash3 (x86, 32-bit) of a string's UTF-8 bytes, as an unsigned 32-bit integer. */
export function murmur3(text: string, seed = 0): number {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  if (scratch.length < text.length * 3) {
    scratch = new Uint8Array(text.length * 3);
    view = new DataView(scratch.buffer);
  }
  const { written } = encoder.encodeInto(text, scratch);
  return murmur3Bytes(written, seed);
}

function mixBlock(block: number): number {
  let k = Math.imul(block, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

/** Hashes the first `length` bytes of the scratch buffer. */
function murmur3Bytes(length: number, seed: number): number {
  let h = seed >>> 0;
  const blocks = length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    h ^= mixBlock(view.getUint32(i, true));
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= view.getUint8(blocks + 2) << 16;
    if (tail >= 2) k ^= view.getUint8(blocks + 1) << 8;
    k ^= view.getUint8(blocks);
    h ^= mixBlock(k);
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
