import { describe, expect, it } from "vitest";
import { BitReader, HuffmanTable, LzxError } from "./bits.ts";
import { BitWriter, canonicalCodes, huffmanLengths } from "./cab-test-support.ts";
import { seededRandom } from "./test-support.ts";

const fail = (message: string): never => {
  throw new LzxError(message);
};

function table(lengths: number[], tableBits: number): HuffmanTable {
  const t = new HuffmanTable("test tree", lengths.length, tableBits);
  t.lengths.set(lengths);
  return t;
}

/** Writes the symbols with the canonical code of `lengths` (computed by the test writer, not the decoder). */
function encodeSymbols(lengths: number[], symbols: number[]): Uint8Array {
  const codes = canonicalCodes(lengths);
  const w = new BitWriter();
  for (const s of symbols) w.write(codes[s]!, lengths[s]!);
  return w.result();
}

describe("BitReader", () => {
  it("reads 16-bit little-endian words from the most significant bit down", () => {
    const r = new BitReader(Uint8Array.of(0x34, 0x12, 0x78, 0x56, 0xbc, 0x9a));
    expect(r.read(4)).toBe(0x1);
    expect(r.read(8)).toBe(0x23);
    expect(r.read(8)).toBe(0x45);
    expect(r.read(12)).toBe(0x678);
    expect(r.consumedBits).toBe(32);
    expect(r.read(0)).toBe(0);
    expect(r.read(16)).toBe(0x9abc);
  });

  it("reads 17-bit fields across words", () => {
    const w = new BitWriter();
    w.write(0b101, 3);
    w.write(0x1abcd, 17);
    w.write(0x1ffff, 17);
    w.write(0, 17);
    const r = new BitReader(w.result());
    expect([r.read(3), r.read(17), r.read(17), r.read(17)]).toEqual([0b101, 0x1abcd, 0x1ffff, 0]);
  });

  it("peeks without consuming", () => {
    const r = new BitReader(Uint8Array.of(0x00, 0xf0));
    r.ensure(16);
    expect(r.peek(4)).toBe(0xf);
    expect(r.peek(4)).toBe(0xf);
    expect(r.consumedBits).toBe(0);
  });

  it("realigns to the next 16-bit boundary, and not at all when on one", () => {
    const r = new BitReader(new Uint8Array(8));
    r.alignToWord();
    expect(r.consumedBits).toBe(0);
    r.read(3);
    r.alignToWord();
    expect(r.consumedBits).toBe(16);
    r.read(16);
    r.alignToWord();
    expect(r.consumedBits).toBe(32);
  });

  it("enters byte mode after 1 to 16 bits of padding, giving back words loaded ahead", () => {
    const bytes = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const onBoundary = new BitReader(bytes);
    onBoundary.enterByteMode(); // nothing loaded: a whole word of padding
    expect(onBoundary.pos).toBe(2);

    const midWord = new BitReader(bytes);
    midWord.read(5);
    midWord.enterByteMode(); // 11 bits of padding
    expect(midWord.pos).toBe(2);

    const lookedAhead = new BitReader(bytes);
    lookedAhead.read(5);
    lookedAhead.ensure(16); // a second word loaded but not used
    expect(lookedAhead.pos).toBe(4);
    lookedAhead.enterByteMode();
    expect(lookedAhead.pos).toBe(2);

    const fullWordLoaded = new BitReader(bytes);
    fullWordLoaded.read(16);
    fullWordLoaded.ensure(16); // on a boundary with the next word loaded: that word is the padding
    fullWordLoaded.enterByteMode();
    expect(fullWordLoaded.pos).toBe(4);
  });

  it("lends a few zero bytes past the end for lookahead, then throws LzxError", () => {
    const r = new BitReader(Uint8Array.of(0xff, 0xff, 0xff));
    expect(r.read(16)).toBe(0xffff);
    expect(r.read(8)).toBe(0x00); // the odd last byte is the low half of a word
    expect(r.read(8)).toBe(0xff);
    expect(r.consumedBits).toBe(32);
    expect(r.usedUpTo).toBe(4); // the second word lacks its second byte: what was read from it is not real
    expect(r.read(16)).toBe(0);
    expect(() => r.read(16)).toThrow(LzxError);
    expect(() => r.read(16)).toThrow(/ends early at input byte 3/);
  });

  it("knows which input the consumed bits came from", () => {
    const r = new BitReader(new Uint8Array(6));
    expect(r.usedUpTo).toBe(0);
    r.read(1);
    expect(r.usedUpTo).toBe(2);
    r.ensure(16); // a second word loaded ahead, nothing of it used
    expect(r.usedUpTo).toBe(2);
    r.read(16);
    expect(r.usedUpTo).toBe(4);
    r.alignToWord();
    r.enterByteMode(); // on a boundary: one word of padding
    r.pos += 1; // one byte of an uncompressed block
    expect(r.usedUpTo).toBe(7);
  });

  it("names offsets through its `where`", () => {
    const r = new BitReader(new Uint8Array(2), 0, 2, (offset) => `in block 7 byte ${offset}`);
    r.read(9);
    expect(() => r.fail("bad thing")).toThrow(new LzxError("bad thing in block 7 byte 1", 1));
  });
});

describe("HuffmanTable", () => {
  it("decodes a small canonical code, short codes from the table, long ones through the tree", () => {
    // Canonical: symbol 1 = 0, symbol 0 = 10, symbol 2 = 110, symbol 3 = 111.
    expect(canonicalCodes([2, 1, 3, 3])).toEqual([0b10, 0b0, 0b110, 0b111]);
    for (const tableBits of [2, 3, 6]) {
      const t = table([2, 1, 3, 3], tableBits);
      t.build(fail);
      expect(t.empty).toBe(false);
      const symbols = [0, 1, 2, 3, 3, 2, 1, 0, 1, 1];
      const r = new BitReader(encodeSymbols([2, 1, 3, 3], symbols));
      expect(symbols.map(() => t.decode(r))).toEqual(symbols);
      expect(r.consumedBits).toBe(2 + 1 + 3 + 3 + 3 + 3 + 1 + 2 + 1 + 1);
    }
  });

  it("decodes a complete but degenerate code: one symbol per length, 1 to 16 bits deep", () => {
    const lengths = [...Array.from({ length: 16 }, (_, i) => i + 1), 16]; // Kraft sum exactly 1
    const t = table(lengths, 6);
    t.build(fail);
    const symbols = [16, 15, 0, 14, 5, 6, 1, 13, 16, 16, 2, 9, 10];
    const r = new BitReader(encodeSymbols(lengths, symbols));
    expect(symbols.map(() => t.decode(r))).toEqual(symbols);
  });

  it("decodes a two-symbol code (one bit each)", () => {
    const t = table([0, 1, 0, 1], 2);
    t.build(fail);
    const r = new BitReader(Uint8Array.of(0x00, 0b1010_0000));
    expect([t.decode(r), t.decode(r), t.decode(r), t.decode(r)]).toEqual([3, 1, 3, 1]);
  });

  it("rejects an over-subscribed code", () => {
    expect(() => table([1, 1, 1], 2).build(fail)).toThrow(/test tree is over-subscribed/);
    expect(() => table([2, 2, 2, 2, 3], 3).build(fail)).toThrow(/over-subscribed/);
    expect(() => table([...Array.from({ length: 16 }, (_, i) => i + 1), 16, 16], 6).build(fail)).toThrow(
      /over-subscribed/,
    );
  });

  it("rejects an incomplete code, including a lone symbol", () => {
    expect(() => table([1, 0, 0], 2).build(fail)).toThrow(/test tree is incomplete/);
    expect(() => table([2, 2, 2, 0], 2).build(fail)).toThrow(/incomplete/);
    expect(() => table([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0], 6).build(fail)).toThrow(
      /incomplete/,
    );
  });

  it("accepts an all-zero code only where allowed, as an empty table", () => {
    expect(() => table([0, 0, 0, 0], 2).build(fail)).toThrow(/test tree is empty/);
    const t = table([0, 0, 0, 0], 2);
    t.build(fail, true);
    expect(t.empty).toBe(true);
  });

  it("rejects code lengths over 16", () => {
    expect(() => table([1, 17, 1], 2).build(fail)).toThrow(/symbol 1 has code length 17/);
  });

  it("builds the tables again from new lengths (LZX rebuilds them every block)", () => {
    const t = table([1, 1, 0, 0], 2);
    t.build(fail);
    t.lengths.set([0, 2, 2, 1]);
    t.build(fail);
    const r = new BitReader(encodeSymbols([0, 2, 2, 1], [3, 1, 2, 3]));
    expect([t.decode(r), t.decode(r), t.decode(r), t.decode(r)]).toEqual([3, 1, 2, 3]);
  });

  it("round-trips random codes of up to 656 symbols and 16 bits (seeded)", () => {
    const random = seededRandom(0x5eed);
    for (let round = 0; round < 60; round++) {
      const symbols = 2 + Math.floor(random() * 655);
      // Skewed frequencies give deep codes; some symbols unused.
      const freq = Array.from({ length: symbols }, (_, s) =>
        random() < 0.2 && s > 1 ? 0 : Math.floor(2 ** (random() * 20)),
      );
      const lengths = huffmanLengths(freq, 16);
      const tableBits = Math.max(Math.ceil(Math.log2(symbols)), [6, 7, 9, 12][round % 4]!);
      const t = table(lengths, tableBits);
      t.build(fail);
      const used = lengths.flatMap((l, s) => (l > 0 ? [s] : []));
      const message = Array.from({ length: 500 }, () => used[Math.floor(random() * used.length)]!);
      const r = new BitReader(encodeSymbols(lengths, message));
      expect(message.map(() => t.decode(r))).toEqual(message);
      expect(r.consumedBits).toBe(message.reduce((sum, s) => sum + lengths[s]!, 0));
    }
  });
});
