// Cabinet structure: the real captures' cabinets, cabinets written by cab-test-support.ts for the stored, MSZIP and
// LZX folder types, every header check, the size limit, and seeded hostile input (truncations, corruptions, random
// bytes) that must end in CabError or LzxError — never a RangeError, a hang, or an allocation of what a header claims.
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CabError, decodeCabinet, DEFAULT_MAX_UNCOMPRESSED_BYTES, LzxError } from "./cab.ts";
import {
  encodeLzx,
  lzxBlocks,
  mszipBlocks,
  sampleData,
  storedBlocks,
  writeCabinet,
  type CabinetSpec,
} from "./cab-test-support.ts";
import { exchange, seededRandom } from "./test-support.ts";

function realCabinet(id: string): Buffer {
  const b64 = /<XmlUpdateBlobCompressed>([^<]*)</.exec(exchange(id).responseBody)?.[1] ?? "";
  return Buffer.from(b64, "base64");
}

/** Three files in one folder of the given compression. */
function threeFiles(typeCompress: number, data: Uint8Array, blocks = storedBlocks(data)): CabinetSpec {
  const a = 1000;
  const b = Math.floor(data.length / 2);
  return {
    files: [
      { name: "a.txt", size: a },
      { name: "b.bin", size: b - a },
      { name: "c", size: data.length - b },
    ],
    folders: [{ typeCompress, blocks }],
    checksums: true,
  };
}

function expectFiles(cabinet: Buffer, data: Uint8Array) {
  const { files } = decodeCabinet(cabinet);
  expect(files.map((f) => f.name)).toEqual(["a.txt", "b.bin", "c"]);
  expect(Buffer.concat(files.map((f) => f.data)).equals(Buffer.from(data))).toBe(true);
}

/** Decodes and returns the CabError/LzxError it threw (undefined when it decoded); rethrows anything else. */
function cabFailure(input: Uint8Array, maxUncompressedBytes?: number): Error | undefined {
  try {
    decodeCabinet(input, { maxUncompressedBytes });
    return undefined;
  } catch (err) {
    if (err instanceof CabError || err instanceof LzxError) return err;
    throw err;
  }
}

/** The real 000013 cabinet with its CFDATA checksums zeroed, so corruptions reach the LZX decoder. */
function withoutChecksums(cabinet: Buffer): Buffer {
  const copy = Buffer.from(cabinet);
  let p = copy.readUInt32LE(0x24);
  for (let i = copy.readUInt16LE(0x28); i > 0; i--) {
    copy.writeUInt32LE(0, p);
    p += 8 + copy.readUInt16LE(p + 4);
  }
  return copy;
}

describe("decodeCabinet on the real captures", () => {
  it.each([
    ["000013", 69570, 3],
    ["000014", 29156, 1],
    ["000016", 9834, 1],
  ])("%s: one member blob of %i bytes in %i checksummed LZX blocks", (id, size, blocks) => {
    const cabinet = realCabinet(id);
    expect(cabinet.readUInt16LE(0x28)).toBe(blocks);
    expect(cabinet.readUInt32LE(cabinet.readUInt32LE(0x24))).not.toBe(0); // the checksum is there, and checked
    const { files } = decodeCabinet(cabinet);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ name: "blob" });
    expect(files[0]?.data.length).toBe(size);
  });

  it("notices a changed byte through the CFDATA checksum", () => {
    const cabinet = realCabinet("000016");
    cabinet[cabinet.length - 1] = cabinet[cabinet.length - 1]! ^ 0x40;
    expect(() => decodeCabinet(cabinet)).toThrow(
      /folder 0, CFDATA 0: checksum 0x[0-9a-f]+ does not match .* offset 65/,
    );
  });
});

describe("decodeCabinet folder types", () => {
  it("reads stored folders, several files and blocks", () => {
    const data = sampleData(seededRandom(1), 80000, "mixed");
    expectFiles(writeCabinet(threeFiles(0, data)), data);
  });

  it("reads MSZIP folders whose blocks refer back into the previous block", () => {
    const data = sampleData(seededRandom(2), 100_000, "text");
    const blocks = mszipBlocks(data);
    expect(blocks).toHaveLength(4);
    // The second block really needs the first one's output as its dictionary.
    expect(() => inflateRawSync(blocks[1]!.compressed.subarray(2))).toThrow();
    expectFiles(writeCabinet(threeFiles(1, data, blocks)), data);
  });

  it("reads LZX folders of every window size, cut into CFDATA blocks at frame ends", () => {
    const random = seededRandom(3);
    for (let windowBits = 15; windowBits <= 21; windowBits++) {
      const data = sampleData(random, 70000, windowBits % 2 ? "text" : "e8");
      const encoded = encodeLzx(data, {
        windowBits,
        e8TranslationSize: 12_000_000,
        blocks: [
          { type: 2, size: 30000 },
          { type: 3, size: 777 },
          { type: 1, size: 50000 },
        ],
      });
      const blocks = lzxBlocks(encoded);
      expect(blocks.map((b) => b.uncompressed)).toEqual([32768, 32768, 4464]);
      expectFiles(writeCabinet(threeFiles(3 | (windowBits << 8), data, blocks)), data);
    }
  });

  it("reads several folders, reserved areas and UTF-8 names", () => {
    const text = sampleData(seededRandom(4), 50000, "text");
    const cabinet = writeCabinet({
      files: [
        { name: "stored", size: 20000, folder: 0 },
        { name: "lzx-Ünïcödé", size: 50000, folder: 1, offset: 0, attribs: 0x80 },
        { name: "zip", size: 50000, folder: 2, offset: 0 },
      ],
      folders: [
        { typeCompress: 0, blocks: storedBlocks(text.subarray(0, 20000), 7000) },
        { typeCompress: 0x1503, blocks: lzxBlocks(encodeLzx(text, { windowBits: 21 })) },
        { typeCompress: 1, blocks: mszipBlocks(text) },
      ],
      reserve: { header: 20, folder: 3, data: 5 },
      checksums: true,
    });
    const { files } = decodeCabinet(cabinet);
    expect(files.map((f) => f.name)).toEqual(["stored", "lzx-Ünïcödé", "zip"]);
    expect(Buffer.from(files[0]!.data).equals(Buffer.from(text.subarray(0, 20000)))).toBe(true);
    expect(Buffer.from(files[1]!.data).equals(Buffer.from(text))).toBe(true);
    expect(Buffer.from(files[2]!.data).equals(Buffer.from(text))).toBe(true);
  });

  it("reads a cabinet without files", () => {
    expect(decodeCabinet(writeCabinet({ files: [], folders: [] }))).toEqual({ files: [] });
  });
});

describe("decodeCabinet refuses malformed headers", () => {
  const data = Buffer.from("<upd:Update/>".repeat(10), "utf16le");
  const good = () =>
    writeCabinet({
      files: [{ name: "blob", size: data.length }],
      folders: [{ typeCompress: 0, blocks: storedBlocks(data) }],
    });

  it.each([
    [
      "too short",
      (c: Buffer) => c.subarray(0, 35),
      /35 bytes are too few for a cabinet header \(36\) \(at cabinet offset 0\)/,
    ],
    [
      "bad signature",
      (c: Buffer) => (c.write("MSCX", 0, "latin1"), c),
      /signature is "MSCX", not "MSCF" \(at cabinet offset 0\)/,
    ],
    ["version 1.2", (c: Buffer) => ((c[24] = 2), c), /version 1\.2 is not 1\.3 \(at cabinet offset 24\)/],
    ["version 2.3", (c: Buffer) => ((c[25] = 2), c), /version 2\.3 is not 1\.3/],
    [
      "previous cabinet",
      (c: Buffer) => (c.writeUInt16LE(1, 30), c),
      /flags 0x0001: cabinets spanning several files are not supported/,
    ],
    ["next cabinet", (c: Buffer) => (c.writeUInt16LE(2, 30), c), /spanning several files/],
    [
      "unknown flags",
      (c: Buffer) => (c.writeUInt16LE(8, 30), c),
      /flags 0x0008 has unknown bits \(at cabinet offset 30\)/,
    ],
    [
      "truncated",
      (c: Buffer) => c.subarray(0, c.length - 1),
      /cbCabinet says \d+ bytes, only \d+ are present \(truncated\?\) \(at cabinet offset 8\)/,
    ],
    ["cbCabinet too small", (c: Buffer) => (c.writeUInt32LE(20, 8), c), /cbCabinet 20 is smaller than the header/],
    [
      "CFFOLDER past the end",
      (c: Buffer) => (c.writeUInt16LE(60, 26), c),
      /CFFOLDER \d+ needs 8 bytes at offset \d+, past the cabinet's end/,
    ],
    ["CFFILE past the end", (c: Buffer) => (c.writeUInt32LE(c.length - 4, 16), c), /CFFILE 0 needs 17 bytes/],
    ["name without NUL", (c: Buffer) => (c.fill(0x41, 60), c.writeUInt16LE(0, 26), c), /name is not NUL-terminated/],
    [
      "file in another cabinet",
      (c: Buffer) => (c.writeUInt16LE(0xfffd, 44 + 8), c),
      /file "blob" continues from or into another cabinet/,
    ],
    [
      "file in a missing folder",
      (c: Buffer) => (c.writeUInt16LE(1, 44 + 8), c),
      /file "blob" is in folder 1, the cabinet has 1 \(at cabinet offset 52\)/,
    ],
    [
      "file outside its folder",
      (c: Buffer) => (c.writeUInt32LE(data.length, 44), c.writeUInt32LE(1, 48), c),
      /file "blob" \(260 bytes at 1\) lies outside folder 0 \(260 bytes\)/,
    ],
    [
      "CFDATA past the end",
      (c: Buffer) => (c.writeUInt16LE(2, 40), c),
      /folder 0, CFDATA 1: the block header lies past the cabinet's end/,
    ],
    [
      "cbData past the end",
      (c: Buffer) => (c.writeUInt16LE(999, 65 + 4), c),
      /CFDATA 0: 999 bytes of data run past the cabinet's end/,
    ],
    [
      "cbUncomp 0",
      (c: Buffer) => (c.writeUInt16LE(0, 65 + 6), c),
      /cbUncomp is 0 \(a block continued in another cabinet\?\)/,
    ],
    ["cbUncomp over 32 KiB", (c: Buffer) => (c.writeUInt16LE(40000, 65 + 6), c), /cbUncomp 40000 is more than 32768/],
    [
      "stored size mismatch",
      (c: Buffer) => (c.writeUInt16LE(259, 65 + 6), c.writeUInt32LE(259, 44), c),
      /a stored block of 260 bytes says it holds 259/,
    ],
    [
      "Quantum",
      (c: Buffer) => (c.writeUInt16LE(0x0f02, 42), c),
      /folder 0: Quantum compression is not supported \(at cabinet offset 42\)/,
    ],
    ["type 7", (c: Buffer) => (c.writeUInt16LE(7, 42), c), /type 7 compression is not supported/],
    ["stored with a window", (c: Buffer) => (c.writeUInt16LE(0x1500, 42), c), /typeCompress 0x1500 is malformed/],
    [
      "LZX window 2^14",
      (c: Buffer) => (c.writeUInt16LE(0x0e03, 42), c),
      /typeCompress 0x0e03 is not LZX with a window of 2\^15 to 2\^21/,
    ],
    ["LZX window 2^22", (c: Buffer) => (c.writeUInt16LE(0x1603, 42), c), /not LZX with a window/],
  ])("%s", (_, corrupt, message) => {
    const cabinet = corrupt(good());
    expect(() => decodeCabinet(cabinet)).toThrow(CabError);
    expect(() => decodeCabinet(cabinet)).toThrow(message);
  });

  it("refuses MSZIP blocks without CK, with broken deflate data, or of the wrong size", () => {
    const text = Buffer.from("hello hello hello hello");
    const [block] = mszipBlocks(text);
    const spec = (compressed: Uint8Array, uncompressed = text.length): CabinetSpec => ({
      files: [{ name: "blob", size: uncompressed }],
      folders: [{ typeCompress: 1, blocks: [{ compressed, uncompressed }] }],
    });
    const noCk = Buffer.from(block!.compressed);
    noCk[0] = 0x58;
    expect(() => decodeCabinet(writeCabinet(spec(noCk)))).toThrow(/an MSZIP block does not start with "CK"/);
    const broken = Buffer.concat([Buffer.from("CK"), Buffer.from([0xff, 0xff, 0xff, 0xff])]);
    expect(() => decodeCabinet(writeCabinet(spec(broken)))).toThrow(/CFDATA 0: the deflate data is malformed/);
    expect(() => decodeCabinet(writeCabinet(spec(block!.compressed, text.length + 1)))).toThrow(
      /inflates to 23 bytes, cbUncomp says 24/,
    );
    const full = mszipBlocks(new Uint8Array(100_000))[0]!.compressed; // a 32 KiB block, but claim less
    expect(() => decodeCabinet(writeCabinet(spec(full, 100)))).toThrow(/inflates to 32768 bytes, cbUncomp says 100/);
    const bomb = Buffer.concat([Buffer.from("CK"), deflateRawSync(new Uint8Array(10_000_000))]); // 10 MB in 10 KB
    expect(() => decodeCabinet(writeCabinet(spec(bomb, 32768)))).toThrow(/CFDATA 0: the deflate data is malformed/);
  });

  it("reports LZX errors as LzxError naming the CFDATA block and cabinet offset", () => {
    const cabinet = withoutChecksums(realCabinet("000013"));
    const second = cabinet.readUInt32LE(0x24) + 8 + cabinet.readUInt16LE(cabinet.readUInt32LE(0x24) + 4);
    cabinet.fill(0xff, second + 8 + 100, second + 8 + 140);
    const error = cabFailure(cabinet);
    expect(error).toBeInstanceOf(LzxError);
    expect(error?.message).toMatch(/in folder 0, CFDATA 1, byte \d+ \(cabinet offset \d+\)$/);
  });
});

describe("decodeCabinet limits and hostile input", () => {
  it("refuses a declared size over the limit before decompressing anything", () => {
    const data = sampleData(seededRandom(5), 5000, "text");
    const cabinet = writeCabinet(threeFiles(0x1503, data, lzxBlocks(encodeLzx(data, { windowBits: 21 }))));
    expect(() => decodeCabinet(cabinet, { maxUncompressedBytes: 4999 })).toThrow(
      /declares 5000 or more uncompressed bytes, more than the limit of 4999/,
    );
    expect(decodeCabinet(cabinet, { maxUncompressedBytes: 5000 }).files).toHaveLength(3);
  });

  it("refuses 65535 blocks of 32 KiB (2 GiB) at the default 64 MiB limit, quickly", () => {
    const blocks = Array.from({ length: 65535 }, () => ({ compressed: new Uint8Array(0), uncompressed: 32768 }));
    const cabinet = writeCabinet({ files: [{ name: "blob", size: 1 }], folders: [{ typeCompress: 0x1503, blocks }] });
    const started = performance.now();
    expect(() => decodeCabinet(cabinet)).toThrow(
      new RegExp(`declares \\d+ or more uncompressed bytes, more than the limit of ${DEFAULT_MAX_UNCOMPRESSED_BYTES}`),
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("refuses every truncation of a real cabinet, cbCabinet patched or not", () => {
    const cabinet = realCabinet("000013");
    for (let cut = 0; cut < cabinet.length; cut += cut < cabinet.length - 64 ? 5 : 1) {
      const truncated = Buffer.from(cabinet.subarray(0, cut));
      expect(cabFailure(truncated), `cut at ${cut}`).toBeInstanceOf(CabError);
      if (cut >= 36) {
        truncated.writeUInt32LE(cut, 8); // the header now agrees; the data does not
        expect(cabFailure(truncated), `cut at ${cut}, patched`).toBeDefined();
      }
    }
  });

  it("refuses truncated LZX data inside a consistent cabinet (sizes and checksums patched)", () => {
    const cabinet = realCabinet("000016");
    const block = cabinet.readUInt32LE(0x24);
    const cbData = cabinet.readUInt16LE(block + 4);
    for (let keep = 0; keep < cbData; keep += keep < cbData - 16 ? 7 : 1) {
      const truncated = Buffer.from(cabinet.subarray(0, block + 8 + keep));
      truncated.writeUInt32LE(truncated.length, 8);
      truncated.writeUInt16LE(keep, block + 4);
      truncated.writeUInt32LE(0, block);
      expect(cabFailure(truncated), `keeping ${keep} of ${cbData}`).toBeInstanceOf(LzxError);
    }
  });

  it("turns seeded corruptions of the real cabinets into CabError, LzxError or a decode, bounded in time", () => {
    const random = seededRandom(0xcab);
    const started = performance.now();
    for (const id of ["000013", "000014", "000016"]) {
      const original = withoutChecksums(realCabinet(id));
      for (let round = 0; round < 150; round++) {
        const mutated = Buffer.from(original);
        for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) {
          // Mostly the compressed data, sometimes the structures in front of it.
          const at =
            random() < 0.8 ? 0x49 + Math.floor(random() * (mutated.length - 0x49)) : Math.floor(random() * 0x49);
          mutated[at] = mutated[at]! ^ (1 << Math.floor(random() * 8));
        }
        cabFailure(mutated, 1 << 20);
      }
    }
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("turns seeded random bytes, with and without a plausible header, into CabError or LzxError", () => {
    const random = seededRandom(0xdead);
    const template = realCabinet("000014");
    for (let round = 0; round < 300; round++) {
      const length = Math.floor(random() * 600);
      const bytes = Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
      if (round % 2 === 0) template.copy(bytes, 0, 0, Math.min(length, 0x49)); // real header, random data
      expect(cabFailure(bytes, 1 << 20), `round ${round}`).toBeDefined();
    }
  });
});
