// Strict UTF-8 for everything that arrives over the wire: an invalid byte sequence (overlong forms, surrogates, stray
// continuation bytes, a sequence cut short) is an error naming the byte, never a silent U+FFFD.

export class Utf8Error extends Error {
  override name = "Utf8Error";
  constructor(
    /** Offset of the first byte that is not valid UTF-8. */
    readonly offset: number,
  ) {
    super(`not valid UTF-8 (at byte ${offset})`);
  }
}

const strict = new TextDecoder("utf-8", { fatal: true });

/** Decodes UTF-8 text (a leading byte order mark is dropped); throws Utf8Error at the first invalid byte. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    throw new Utf8Error(firstInvalidUtf8(bytes));
  }
}

/** Offset of the first byte that starts or continues an invalid sequence; bytes.length when all is valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      // E0 needs A0.. (no overlong forms); ED stops at 9F (no surrogates).
      min = b === 0xe0 ? 0xa0 : 0x80;
      if (b === 0xed) max = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = b === 0xf0 ? 0x90 : 0x80;
      if (b === 0xf4) max = 0x8f;
    } else {
      return i;
    }
    if (i + need >= n) return i; // cut short
    const second = bytes[i + 1]!;
    if (second < min || second > max) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return n;
}
