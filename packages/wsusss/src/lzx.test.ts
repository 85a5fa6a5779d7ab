// LZX round trips through the test compressor in cab-test-support.ts (every block type, runs, repeats, E8, window
// wrap), hand-made invalid streams for each error path, and seeded hostile input. The real Microsoft streams are
// the main proof; they are decoded in update-blob.test.ts and cab.test.ts.
import { describe, expect, it } from "vitest";
import {
  BitWriter,
  encodeLzx,
  encodeLzxTokens,
  sampleData,
  translateE8,
  type LzxBlockType,
} from "./cab-test-support.ts";
import { decompressLzx, LzxError } from "./lzx.ts";
import { seededRandom } from "./test-support.ts";

function roundTrip(data: Uint8Array, options: Parameters<typeof encodeLzx>[1]) {
  const encoded = encodeLzx(data, options);
  const out = decompressLzx(encoded.stream, { windowBits: options.windowBits, outputSize: data.length });
  expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
  return encoded;
}

/** Runs `decode` and returns what it threw; fails the test if that is anything but an LzxError. */
function lzxFailure(decode: () => unknown): LzxError | undefined {
  try {
    decode();
    return undefined;
  } catch (err) {
    if (!(err instanceof LzxError)) throw err;
    return err;
  }
}

describe("decompressLzx round trips", () => {
  it("decodes verbatim blocks of literals only, whose length tree is empty", () => {
    const data = sampleData(seededRandom(1), 5000, "text");
    const { stats } = roundTrip(data, { windowBits: 15, matches: false });
    expect(stats).toMatchObject({ literals: 5000, matches: 0 });
  });

  it("decodes verbatim blocks with matches, repeated offsets, long lengths and all three pretree run codes", () => {
    const data = sampleData(seededRandom(2), 20000, "text");
    const { stats, pretreeCodes } = roundTrip(data, { windowBits: 16 });
    expect(stats.matches).toBeGreaterThan(500);
    expect(stats.repeats).toBeGreaterThan(10);
    expect(stats.longLengths).toBeGreaterThan(10);
    expect([17, 18, 19].every((code) => pretreeCodes.has(code))).toBe(true);
  });

  it("decodes aligned offset blocks", () => {
    const data = sampleData(seededRandom(3), 30000, "mixed");
    const { stats } = roundTrip(data, { windowBits: 17, blocks: [{ type: 2, size: 30000 }] });
    expect(stats.alignedOffsets).toBeGreaterThan(100);
  });

  it("decodes uncompressed blocks (odd ones with their pad byte) between compressed ones, R0-R2 kept", () => {
    const data = sampleData(seededRandom(4), 60000, "text");
    const blocks = [
      { type: 1, size: 5000 },
      { type: 3, size: 3333 },
      { type: 1, size: 7000 },
      { type: 3, size: 1 },
      { type: 2, size: 9000 },
      { type: 3, size: 2 },
    ] as const;
    const { stats } = roundTrip(data, { windowBits: 15, blocks: [...blocks] });
    expect(stats.repeats).toBeGreaterThan(0);
  });

  it("carries trees, window and offsets across 32 KiB frames and wraps a 2^15 window", () => {
    const data = sampleData(seededRandom(5), 150_000, "text");
    const { frames } = roundTrip(data, { windowBits: 15, blocks: [{ type: 1, size: 40000 }] });
    expect(frames.map((f) => f.size)).toEqual([32768, 32768, 32768, 32768, 18928]);
  });

  it("decodes every window size from 2^15 to 2^21", () => {
    const random = seededRandom(6);
    for (let windowBits = 15; windowBits <= 21; windowBits++) {
      roundTrip(sampleData(random, 40000, "mixed"), {
        windowBits,
        blocks: [
          { type: 1, size: 20000 },
          { type: 2, size: 20000 },
        ],
      });
    }
  });

  it("reaches far back in a 2 MiB window (17 extra offset bits, verbatim and aligned)", () => {
    const random = seededRandom(7);
    const half = sampleData(random, 300_000, "binary");
    const data = new Uint8Array(600_000);
    data.set(half);
    data.set(half, 300_000);
    for (const type of [1, 2] as const) {
      const { stats } = roundTrip(data, { windowBits: 21, blocks: [{ type, size: 600_000 }] });
      expect(stats.matches).toBeGreaterThan(1000);
    }
  });

  it("undoes E8 call translation per frame, sparing each frame's last 10 bytes and frames of 10 bytes or less", () => {
    const data = sampleData(seededRandom(8), 32768 * 2 + 9, "e8");
    // E8 leaders just before a frame's end and in the short last frame must stay as they are.
    data.set([0xe8, 1, 0, 0, 0, 0xe8, 2, 0, 0, 0], 32768 - 10);
    data.set([0xe8, 3, 0, 0, 0, 0xe8, 4, 0, 0], 65536);
    expect(Buffer.from(translateE8(data, 12_000_000)).equals(Buffer.from(data))).toBe(false);
    roundTrip(data, { windowBits: 16, e8TranslationSize: 12_000_000, blocks: [{ type: 2, size: 50000 }] });
    roundTrip(data, { windowBits: 16, e8TranslationSize: 12_000_000, blocks: [{ type: 3, size: 50000 }] });
  });

  it("decodes an empty output without reading anything", () => {
    expect(decompressLzx(new Uint8Array(0), { windowBits: 15, outputSize: 0 })).toEqual(new Uint8Array(0));
  });

  it("round-trips seeded random streams: sizes, windows, block plans, E8", () => {
    const random = seededRandom(0x1a2b);
    const kinds = ["text", "binary", "mixed", "e8"] as const;
    for (let round = 0; round < 30; round++) {
      const size = 1 + Math.floor(random() ** 2 * 80000);
      const kind = kinds[Math.floor(random() * kinds.length)]!;
      const blocks = Array.from({ length: 1 + Math.floor(random() * 4) }, () => ({
        type: (1 + Math.floor(random() * 3)) as LzxBlockType,
        size: 1 + Math.floor(random() * 40000),
      }));
      roundTrip(sampleData(random, size, kind), {
        windowBits: 15 + Math.floor(random() * 7),
        blocks,
        e8TranslationSize: random() < 0.5 ? 0 : 1 + Math.floor(random() * 2 ** 30),
      });
    }
  });
});

describe("decompressLzx errors", () => {
  it("refuses window sizes outside 2^15..2^21 and bad output sizes", () => {
    expect(() => decompressLzx(new Uint8Array(4), { windowBits: 14, outputSize: 1 })).toThrow(LzxError);
    expect(() => decompressLzx(new Uint8Array(4), { windowBits: 22, outputSize: 1 })).toThrow(/2\^15 to 2\^21/);
    expect(() => decompressLzx(new Uint8Array(4), { windowBits: 15, outputSize: -1 })).toThrow(LzxError);
  });

  it("refuses block types 0 and 4 to 7, naming the offset", () => {
    for (const type of [0, 4, 5, 6, 7]) {
      const w = new BitWriter();
      w.write(0, 1);
      w.write(type, 3);
      w.write(100, 24);
      expect(() => decompressLzx(w.result(), { windowBits: 15, outputSize: 100 })).toThrow(
        new RegExp(`block type ${type} is not verbatim .* at input byte 0`),
      );
    }
  });

  it("refuses an over-subscribed pretree and an empty main tree", () => {
    const w = new BitWriter();
    w.write(0, 1);
    w.write(1, 3);
    w.write(10, 24);
    for (let i = 0; i < 20; i++) w.write(1, 4);
    expect(() => decompressLzx(w.result(), { windowBits: 15, outputSize: 10 })).toThrow(/pretree is over-subscribed/);

    // Pretree: code 0 ("no change") = "0", code 18 (run of 20-51 zeros) = "1"; main lengths all stay 0.
    const e = new BitWriter();
    e.write(0, 1);
    e.write(1, 3);
    e.write(10, 24);
    const pretree = () => Array.from({ length: 20 }, (_, i) => e.write(i === 0 || i === 18 ? 1 : 0, 4));
    pretree();
    for (let i = 0; i < 5; i++) e.write(0b1_11111, 6); // 5 × 51 zeros
    e.write(0, 1); // the 256th
    pretree();
    for (let i = 0; i < 4; i++) e.write(0b1_11111, 6); // 204 of the 240 match symbols
    e.write(0b1_10000, 6); // the last 36
    expect(() => decompressLzx(e.result(), { windowBits: 15, outputSize: 10 })).toThrow(/main tree is empty/);
  });

  it("refuses a match reaching before the start of the data", () => {
    const repeat = encodeLzxTokens(15, [{ type: 1, tokens: [{ length: 3, slot: 0, bits: 0 }] }]);
    expect(() => decompressLzx(repeat, { windowBits: 15, outputSize: 3 })).toThrow(
      /match offset 1 reaches before the start of the data \(0 bytes back available\)/,
    );
    const far = encodeLzxTokens(15, [
      { type: 1, tokens: [{ literal: 65 }, { literal: 66 }, { length: 3, slot: 6, bits: 1 }] },
    ]);
    expect(() => decompressLzx(far, { windowBits: 15, outputSize: 5 })).toThrow(/match offset 7 reaches before/);
  });

  it("refuses a match that crosses the end of its block or of a frame", () => {
    const acrossBlock = encodeLzxTokens(15, [
      { type: 1, size: 3, tokens: [{ literal: 65 }, { literal: 65 }, { length: 3, slot: 3, bits: 0 }] },
    ]);
    expect(() => decompressLzx(acrossBlock, { windowBits: 15, outputSize: 3 })).toThrow(
      /a match of 3 bytes runs past the end of its block or frame \(1 bytes left\)/,
    );
    const literals = Array.from({ length: 32766 }, () => ({ literal: 120 }));
    const acrossFrame = encodeLzxTokens(16, [{ type: 1, tokens: [...literals, { length: 5, slot: 3, bits: 0 }] }]);
    expect(() => decompressLzx(acrossFrame, { windowBits: 16, outputSize: 32771 })).toThrow(
      /a match of 5 bytes runs past the end of its block or frame \(2 bytes left\)/,
    );
  });

  it("refuses a long match when the block's length tree is empty", () => {
    const stream = encodeLzxTokens(15, [
      { type: 1, emptyLengthTree: true, tokens: [{ literal: 97 }, { length: 20, slot: 3, bits: 0 }] },
    ]);
    expect(() => decompressLzx(stream, { windowBits: 15, outputSize: 21 })).toThrow(/needs the length tree/);
  });

  it("refuses an uncompressed block whose bytes are missing", () => {
    const w = new BitWriter();
    w.write(0, 1);
    w.write(3, 3);
    w.write(1000, 24);
    w.padForBytes();
    for (let i = 0; i < 12 + 10; i++) w.byte(1);
    expect(() => decompressLzx(w.result(), { windowBits: 15, outputSize: 1000 })).toThrow(
      /an uncompressed block needs 1000 bytes, the input has fewer at input byte 26/,
    );
  });

  it("refuses a stream that decodes to less than the declared size", () => {
    const encoded = encodeLzx(sampleData(seededRandom(9), 5000, "text"), { windowBits: 15 });
    expect(() => decompressLzx(encoded.stream, { windowBits: 15, outputSize: 6000 })).toThrow(LzxError);
  });

  it("refuses truncations of a stream with LzxError, down to its last byte", () => {
    const data = sampleData(seededRandom(10), 40000, "mixed");
    const { stream } = encodeLzx(data, {
      windowBits: 16,
      blocks: [
        { type: 1, size: 15000 },
        { type: 3, size: 999 },
        { type: 2, size: 30000 },
      ],
    });
    for (let cut = 0; cut < stream.length; cut += cut < stream.length - 40 ? 3 : 1) {
      const failure = lzxFailure(() =>
        decompressLzx(stream.subarray(0, cut), { windowBits: 16, outputSize: data.length }),
      );
      expect(failure, `cut at ${cut}`).toBeInstanceOf(LzxError);
    }
  });

  it("turns seeded random bytes into LzxError or output of the declared size, never another error", () => {
    const random = seededRandom(0xbad);
    let failures = 0;
    for (let round = 0; round < 400; round++) {
      const input = Uint8Array.from({ length: Math.floor(random() * 3000) }, () => Math.floor(random() * 256));
      const outputSize = 1 + Math.floor(random() * 100_000);
      const windowBits = 15 + Math.floor(random() * 7);
      let out: Uint8Array | undefined;
      const failure = lzxFailure(() => (out = decompressLzx(input, { windowBits, outputSize })));
      if (failure) failures++;
      else expect(out?.length).toBe(outputSize);
    }
    expect(failures).toBeGreaterThan(350);
  });

  it("turns seeded corruptions of valid streams into LzxError or output of the declared size", () => {
    const random = seededRandom(0xf11b);
    const data = sampleData(random, 50000, "mixed");
    const { stream } = encodeLzx(data, {
      windowBits: 16,
      e8TranslationSize: 12_000_000,
      blocks: [
        { type: 2, size: 20000 },
        { type: 3, size: 501 },
        { type: 1, size: 40000 },
      ],
    });
    for (let round = 0; round < 300; round++) {
      const mutated = stream.slice();
      for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) {
        const at = Math.floor(random() * mutated.length);
        mutated[at] = mutated[at]! ^ (1 << Math.floor(random() * 8));
      }
      let out: Uint8Array | undefined;
      const failure = lzxFailure(() => (out = decompressLzx(mutated, { windowBits: 16, outputSize: data.length })));
      if (!failure) expect(out?.length).toBe(data.length);
    }
  });
});
