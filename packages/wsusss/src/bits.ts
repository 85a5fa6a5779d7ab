// The LZX bitstream and its Huffman codes. LZX packs its bits into 16-bit little-endian words and reads each word
// from the most significant bit down ([MS-PATCH] 2.1, libmspack readbits.h with BITS_ORDER_MSB). Huffman codes are
// canonical (shorter codes first, equal lengths in symbol order, as in DEFLATE) and at most 16 bits long; a table of
// 2^tableBits entries answers short codes in one lookup, and longer codes walk a small binary tree stored after it.
// Nothing here allocates per bit or per symbol.

/** Malformed LZX data: the message says what was wrong and at which input byte. */
export class LzxError extends Error {
  override name = "LzxError";
  constructor(
    message: string,
    /** Byte offset in the compressed input where the problem was found, when known. */
    readonly offset?: number,
  ) {
    super(message);
  }
}

/** Zero bytes the reader may invent past the end: lookahead for the last symbol, never data (see `usedUpTo`). */
const MAX_OVERRUN_BYTES = 4;

/**
 * Reads bits MSB-first from 16-bit little-endian words. Reading past the end yields zeros for a few bytes (a Huffman
 * lookup peeks 16 bits even when the last code is shorter), then throws; `usedUpTo` tells whether the bits
 * actually used were all real.
 */
export class BitReader {
  /** Byte offset of the next word to load. */
  pos: number;
  /** The unread bits are the low `left` bits of `buf`, the next one at bit `left - 1`. */
  buf = 0;
  left = 0;

  constructor(
    readonly data: Uint8Array,
    start = 0,
    readonly end = data.length,
    /** Turns an input offset into words for error messages. */
    private readonly where: (offset: number) => string = (offset) => `at input byte ${offset}`,
  ) {
    this.pos = start;
  }

  /** Bits consumed so far, counted from offset 0 of `data`. */
  get consumedBits(): number {
    return this.pos * 8 - this.left;
  }

  /**
   * Where the input must extend to for everything consumed so far to be real: the end of the last word any consumed
   * bit came from (a word's first bits live in its second byte, so bit counts alone would miss a lost last byte).
   */
  get usedUpTo(): number {
    return this.pos - 2 * Math.floor(this.left / 16);
  }

  /** The byte holding the next unread bit, for error messages. */
  get offset(): number {
    return Math.floor(this.consumedBits / 8);
  }

  fail(message: string, offset = this.offset): never {
    throw new LzxError(`${message} ${this.where(offset)}`, offset);
  }

  /** Makes at least n (at most 16) bits available, loading whole words. */
  ensure(n: number): void {
    while (this.left < n) {
      const p = this.pos;
      let word: number;
      if (p + 1 < this.end) {
        word = this.data[p]! | (this.data[p + 1]! << 8);
      } else {
        if (p + 2 > this.end + MAX_OVERRUN_BYTES) this.fail("the compressed data ends early", this.end);
        word = p < this.end ? this.data[p]! : 0;
      }
      // left < 16 here, so the kept bits and the new word fit in 31 bits.
      this.buf = ((this.buf & ((1 << this.left) - 1)) << 16) | word;
      this.pos = p + 2;
      this.left += 16;
    }
  }

  /** The next n (1..16) bits without consuming them; call ensure(n) first. */
  peek(n: number): number {
    return (this.buf >>> (this.left - n)) & ((1 << n) - 1);
  }

  /** Reads n bits, 0 ≤ n ≤ 17 (LZX's longest raw field is 17 bits of match offset). */
  read(n: number): number {
    if (n === 0) return 0;
    if (n > 16) return (this.read(16) << (n - 16)) | this.read(n - 16);
    this.ensure(n);
    this.left -= n;
    return (this.buf >>> this.left) & ((1 << n) - 1);
  }

  /** Skips to the next 16-bit boundary (nothing when already there), as LZX does at the end of every 32 KiB frame. */
  alignToWord(): void {
    this.left -= this.left & 15;
  }

  /**
   * Leaves the bitstream for a byte stream, as an uncompressed LZX block does after its header: skips 1 to 16 bits
   * of padding to the next 16-bit boundary (16 when already on one) and gives back a word loaded ahead.
   */
  enterByteMode(): void {
    if (this.left === 0) this.pos += 2;
    else if (this.left > 16) this.pos -= 2;
    this.left = 0;
    this.buf = 0;
  }
}

/** The deepest code LZX allows (its code lengths are 0..16). */
export const MAX_CODE_LENGTH = 16;

/**
 * A canonical Huffman decoding table. `table[0 .. 2^tableBits)` maps the next tableBits bits to a symbol (a value
 * < symbols) or, for codes longer than tableBits, to the index of a pair of child entries after the direct part
 * (a value ≥ 2^tableBits ≥ symbols); the pair is indexed by the next bit.
 */
export class HuffmanTable {
  readonly table: Uint16Array;
  /** Code length of each symbol; LZX updates these in place between blocks. Longer than `symbols` on purpose. */
  readonly lengths: Uint8Array;
  /** True when built from all-zero lengths: a legal, empty code from which no symbol may be read. */
  empty = true;

  constructor(
    readonly name: string,
    readonly symbols: number,
    readonly tableBits: number,
    /** Extra length entries after the real ones, for LZX's run codes that overshoot the end (libmspack: 64). */
    lengthSlack = 0,
  ) {
    if (symbols > 1 << tableBits) throw new RangeError(`${name}: ${symbols} symbols need more table bits`);
    this.table = new Uint16Array((1 << tableBits) + 2 * symbols);
    this.lengths = new Uint8Array(symbols + lengthSlack);
  }

  /**
   * Builds the table from `lengths[0 .. symbols)`. Throws (through `fail`) when the lengths over-subscribe the code
   * space or leave part of it unused; all-zero lengths give an empty table only when `allowEmpty`.
   */
  build(fail: (message: string) => never, allowEmpty = false): void {
    const { lengths, symbols, tableBits, table } = this;
    const count = new Uint16Array(MAX_CODE_LENGTH + 1);
    for (let s = 0; s < symbols; s++) {
      const len = lengths[s]!;
      if (len > MAX_CODE_LENGTH) fail(`${this.name}: symbol ${s} has code length ${len}, more than 16`);
      count[len]!++;
    }
    // Kraft: the codes must fill the code space exactly.
    let room = 1;
    for (let len = 1; len <= MAX_CODE_LENGTH; len++) {
      room = room * 2 - count[len]!;
      if (room < 0) fail(`${this.name} is over-subscribed (more codes of ${len} bits than fit)`);
    }
    if (room > 0) {
      if (room === 1 << MAX_CODE_LENGTH && allowEmpty) {
        this.empty = true;
        return;
      }
      fail(`${this.name} is ${room === 1 << MAX_CODE_LENGTH ? "empty" : "incomplete"}`);
    }
    this.empty = false;

    // First canonical code of each length.
    const next = new Uint32Array(MAX_CODE_LENGTH + 1);
    for (let len = 1, code = 0; len <= MAX_CODE_LENGTH; len++) {
      next[len] = code;
      code = (code + count[len]!) << 1;
    }
    const direct = 1 << tableBits;
    const UNSET = 0xffff;
    table.fill(UNSET, 0, direct);
    let free = direct;
    for (let s = 0; s < symbols; s++) {
      const len = lengths[s]!;
      if (len === 0) continue;
      const code = next[len]!++;
      if (len <= tableBits) {
        const first = code << (tableBits - len);
        table.fill(s, first, first + (1 << (tableBits - len)));
        continue;
      }
      // Walk (and grow) the tree below the direct entry for the code's first tableBits bits.
      let at = code >>> (len - tableBits);
      for (let bit = len - tableBits - 1; bit >= 0; bit--) {
        let node = table[at]!;
        if (node === UNSET) {
          node = free;
          free += 2;
          table[node] = UNSET;
          table[node + 1] = UNSET;
          table[at] = node;
        }
        at = node + ((code >>> bit) & 1);
      }
      table[at] = s;
    }
  }

  /** Reads one symbol. The table must have been built and not be empty. */
  decode(r: BitReader): number {
    r.ensure(MAX_CODE_LENGTH);
    const symbols = this.symbols;
    const table = this.table;
    let sym = table[r.peek(this.tableBits)]!;
    if (sym >= symbols) {
      // A long code: one more bit per level, MSB first, after the tableBits already looked at.
      let bit = r.left - this.tableBits;
      do {
        bit--;
        sym = table[sym + ((r.buf >>> bit) & 1)]!;
      } while (sym >= symbols);
    }
    r.left -= this.lengths[sym]!;
    return sym;
  }
}
