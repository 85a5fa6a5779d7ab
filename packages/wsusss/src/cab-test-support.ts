// Test-only writers for the decoder tests (not exported by index.ts): a small LZX compressor that can produce every
// block type (verbatim, aligned offset, uncompressed), repeated offsets, all three pretree run codes, empty length
// trees, matches across frame boundaries, window wrap-around and E8 call translation; and a Cabinet writer for
// stored, MSZIP and LZX folders. Written from [MS-PATCH] and [MS-CAB], independently of the decoder's code paths
// (its own canonical-code assignment and bit writer), so that a shared misreading would have to be made twice.
import { deflateRawSync } from "node:zlib";
import { cabChecksum } from "./cab.ts";

// ---------------------------------------------------------------- bits

/** Writes bits MSB-first into 16-bit little-endian words, the LZX way. */
export class BitWriter {
  private bytes = new Uint8Array(1024);
  length = 0;
  private acc = 0;
  private pending = 0;

  /** Writes the low `bits` bits of value, most significant first (bits ≤ 32). */
  write(value: number, bits: number): void {
    if (bits > 16) {
      this.write(Math.floor(value / 2 ** 16) & ((1 << (bits - 16)) - 1), bits - 16);
      this.write(value & 0xffff, 16);
      return;
    }
    this.acc = (this.acc << bits) | (value & ((1 << bits) - 1));
    this.pending += bits;
    if (this.pending >= 16) {
      this.pending -= 16;
      const word = (this.acc >>> this.pending) & 0xffff;
      this.push(word & 0xff);
      this.push(word >>> 8);
      this.acc &= (1 << this.pending) - 1;
    }
  }

  /** Pads with zero bits to the next 16-bit boundary (nothing when on one). */
  align(): void {
    if (this.pending > 0) this.write(0, 16 - this.pending);
  }

  /** The 1 to 16 bits of padding before an uncompressed block's bytes. */
  padForBytes(): void {
    if (this.pending === 0) this.write(0, 16);
    else this.align();
  }

  byte(b: number): void {
    if (this.pending !== 0) throw new Error("byte() inside a word");
    this.push(b & 0xff);
  }

  u32(v: number): void {
    for (let i = 0; i < 4; i++) this.byte((v >>> (8 * i)) & 0xff);
  }

  result(): Uint8Array {
    this.align();
    return this.bytes.slice(0, this.length);
  }

  private push(b: number): void {
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.length++] = b;
  }
}

// ---------------------------------------------------------------- Huffman

/** Code lengths for the frequencies (0 for unused symbols), at most maxLength bits, by halving until they fit. */
export function huffmanLengths(frequencies: readonly number[], maxLength: number): number[] {
  let freq = frequencies.slice();
  const used = freq.filter((f) => f > 0).length;
  if (used === 0) return freq.map(() => 0);
  if (used === 1) {
    // A lone symbol still needs a complete code: give it a partner.
    const partner = freq[0]! > 0 ? 1 : 0;
    freq[partner] = 1;
  }
  for (;;) {
    const lengths = plainHuffman(freq);
    if (Math.max(...lengths) <= maxLength) return lengths;
    freq = freq.map((f) => (f > 0 ? Math.max(1, f >> 1) : 0));
  }
}

function plainHuffman(freq: readonly number[]): number[] {
  // Two-queue Huffman: leaves sorted by weight, internal nodes come out in weight order.
  const leaves = freq
    .map((w, s) => ({ w, s }))
    .filter((l) => l.w > 0)
    .sort((a, b) => a.w - b.w || a.s - b.s);
  const parent: number[] = [];
  const weight: number[] = leaves.map((l) => l.w);
  const internal: number[] = [];
  let li = 0;
  let ii = 0;
  const take = (): number => {
    if (li < leaves.length && (ii >= internal.length || weight[li]! <= weight[internal[ii]!]!)) return li++;
    return internal[ii++]!;
  };
  while (leaves.length - li + internal.length - ii > 1) {
    const a = take();
    const b = take();
    const node = weight.length;
    weight.push(weight[a]! + weight[b]!);
    parent[a] = node;
    parent[b] = node;
    internal.push(node);
  }
  const depth = new Array<number>(weight.length).fill(0);
  for (let n = weight.length - 2; n >= 0; n--) depth[n] = depth[parent[n]!]! + 1;
  const lengths = freq.map(() => 0);
  leaves.forEach((l, i) => (lengths[l.s] = depth[i]!));
  return lengths;
}

/** Canonical codes for the lengths: shorter codes first, equal lengths in symbol order. */
export function canonicalCodes(lengths: readonly number[]): number[] {
  const codes = lengths.map(() => 0);
  let code = 0;
  for (let len = 1; len <= 16; len++) {
    lengths.forEach((l, s) => {
      if (l === len) codes[s] = code++;
    });
    code <<= 1;
  }
  return codes;
}

class Code {
  readonly codes: number[];
  constructor(readonly lengths: number[]) {
    this.codes = canonicalCodes(lengths);
  }
  put(w: BitWriter, symbol: number): void {
    const len = this.lengths[symbol]!;
    if (len === 0) throw new Error(`symbol ${symbol} has no code`);
    w.write(this.codes[symbol]!, len);
  }
}

// ---------------------------------------------------------------- LZX

const FRAME = 32768;
const SLOTS = [30, 32, 34, 36, 38, 42, 50];
const EXTRA: number[] = [];
const BASE: number[] = [];
for (let s = 0, base = 0; s < 50; s++) {
  EXTRA.push(s < 4 ? 0 : s < 36 ? Math.floor(s / 2) - 1 : 17);
  BASE.push(base);
  base += 2 ** EXTRA[s]!;
}

export type LzxBlockType = 1 | 2 | 3;

export interface LzxEncodeOptions {
  windowBits: number;
  /** E8 translation size written in the header; 0 (default) turns translation off. */
  e8TranslationSize?: number;
  /** Block types and uncompressed sizes, repeated until the data is covered (default: one verbatim block). */
  blocks?: { type: LzxBlockType; size: number }[];
  /** Look for matches (default true); without, verbatim blocks are literals only and their length tree empty. */
  matches?: boolean;
}

export interface LzxEncoded {
  stream: Uint8Array;
  /** Per 32 KiB output frame: where its bits end in `stream` and how many bytes it decodes to. */
  frames: { end: number; size: number }[];
  /** Symbols used, so a test can check it exercised what it meant to. */
  stats: { literals: number; matches: number; repeats: number; alignedOffsets: number; longLengths: number };
  /** Pretree codes used (17, 18 and 19 are the run codes). */
  pretreeCodes: Set<number>;
}

/** A literal, or a match as the decoder sees it: length, position slot, and the slot's extra offset bits. */
export type LzxToken = { literal: number } | { length: number; slot: number; bits: number };

interface StreamState {
  w: BitWriter;
  mainSymbols: number;
  mainLens: number[];
  lengthLens: number[];
  stats: LzxEncoded["stats"];
  pretreeCodes: Set<number>;
}

function newStream(windowBits: number, e8: number): StreamState {
  const mainSymbols = 256 + SLOTS[windowBits - 15]! * 8;
  const w = new BitWriter();
  w.write(e8 ? 1 : 0, 1);
  if (e8) {
    w.write((e8 >>> 16) & 0xffff, 16);
    w.write(e8 & 0xffff, 16);
  }
  return {
    w,
    mainSymbols,
    mainLens: new Array<number>(mainSymbols).fill(0),
    lengthLens: new Array<number>(249).fill(0),
    stats: { literals: 0, matches: 0, repeats: 0, alignedOffsets: 0, longLengths: 0 },
    pretreeCodes: new Set<number>(),
  };
}

/** Compresses `data` as one LZX stream (the content of a Cabinet LZX folder). */
export function encodeLzx(input: Uint8Array, options: LzxEncodeOptions): LzxEncoded {
  const windowSize = 2 ** options.windowBits;
  const e8 = options.e8TranslationSize ?? 0;
  const data = e8 ? translateE8(input, e8) : input;
  const plan = options.blocks ?? [{ type: 1 as const, size: Math.max(1, data.length) }];
  const useMatches = options.matches ?? true;
  const state = newStream(options.windowBits, e8);
  const { w } = state;
  const frames: LzxEncoded["frames"] = [];
  let r = [1, 1, 1];

  // Frame bookkeeping: after the token that reaches a frame's end, the stream realigns to 16 bits.
  const totalFrames = Math.ceil(data.length / FRAME);
  const reached = (p: number) => {
    while (frames.length < totalFrames && p >= Math.min((frames.length + 1) * FRAME, data.length)) {
      w.align();
      frames.push({ end: w.length, size: Math.min(FRAME, data.length - frames.length * FRAME) });
    }
  };

  const finder = new MatchFinder(data, windowSize);
  let pos = 0;
  for (let b = 0; pos < data.length; b++) {
    const { type, size: planned } = plan[b % plan.length]!;
    const size = Math.min(planned, data.length - pos);
    const end = pos + size;
    if (type === 3) {
      w.write(type, 3);
      w.write(size, 24);
      w.padForBytes();
      for (const v of r) w.u32(v);
      for (let p = pos; p < end; p++) {
        w.byte(data[p]!);
        finder.insert(p);
        reached(p + 1);
      }
      if (size & 1) w.byte(0);
      pos = end;
      continue;
    }

    // Tokenize the block, updating the repeated offsets as the decoder will.
    const tokens: LzxToken[] = [];
    for (let p = pos; p < end;) {
      const m = useMatches ? finder.find(p, end, r) : undefined;
      if (!m) {
        tokens.push({ literal: data[p]! });
        finder.insert(p);
        p++;
        continue;
      }
      let slot: number;
      if (m.offset === r[0]) slot = 0;
      else if (m.offset === r[1]) {
        slot = 1;
        r = [r[1]!, r[0]!, r[2]!];
      } else if (m.offset === r[2]) {
        slot = 2;
        r = [r[2]!, r[1]!, r[0]!];
      } else {
        const formatted = m.offset + 2;
        slot = 3;
        while (slot + 1 < 50 && BASE[slot + 1]! <= formatted) slot++;
        r = [m.offset, r[0]!, r[1]!];
      }
      tokens.push({ length: m.length, slot, bits: slot < 3 ? 0 : m.offset + 2 - BASE[slot]! });
      for (let i = 0; i < m.length; i++) finder.insert(p + i);
      p += m.length;
    }
    writeBlock(state, type, size, tokens, pos, reached);
    pos = end;
  }
  reached(data.length);
  return { stream: w.result(), frames, stats: state.stats, pretreeCodes: state.pretreeCodes };
}

export interface CraftedBlock {
  type: 1 | 2;
  tokens: LzxToken[];
  /** The block length to declare (default: what the tokens produce). */
  size?: number;
  /** Send an empty length tree whatever the tokens need (length symbols are then left out). */
  emptyLengthTree?: boolean;
}

/** Writes blocks of hand-made tokens, valid or not, for the decoder's error paths. No frame handling. */
export function encodeLzxTokens(windowBits: number, blocks: CraftedBlock[]): Uint8Array {
  const state = newStream(windowBits, 0);
  for (const b of blocks) {
    const produced = b.tokens.reduce((sum, t) => sum + ("literal" in t ? 1 : t.length), 0);
    writeBlock(state, b.type, b.size ?? produced, b.tokens, 0, () => {}, b.emptyLengthTree);
  }
  return state.w.result();
}

function writeBlock(
  state: StreamState,
  type: 1 | 2,
  size: number,
  tokens: LzxToken[],
  start: number,
  reached: (p: number) => void,
  emptyLengthTree = false,
): void {
  const { w, stats, mainSymbols } = state;
  const mainFreq = new Array<number>(mainSymbols).fill(0);
  const lengthFreq = new Array<number>(249).fill(0);
  const alignedFreq = new Array<number>(8).fill(0);
  for (const t of tokens) {
    if ("literal" in t) {
      mainFreq[t.literal]!++;
      continue;
    }
    const header = Math.min(t.length - 2, 7);
    mainFreq[256 + t.slot * 8 + header]!++;
    if (header === 7) lengthFreq[t.length - 9]!++;
    if (type === 2 && t.slot >= 3 && EXTRA[t.slot]! >= 3) alignedFreq[t.bits & 7]!++;
  }
  // Every literal gets a code, 0xE8 included (so the decoder starts undoing E8 translation at once).
  for (let s = 0; s < 256; s++) mainFreq[s]! += 1;
  const main = new Code(huffmanLengths(mainFreq, 16));
  const length = new Code(emptyLengthTree ? lengthFreq.map(() => 0) : huffmanLengths(lengthFreq, 16));
  const aligned = new Code(alignedFreq.some((f) => f > 0) ? huffmanLengths(alignedFreq, 7) : [3, 3, 3, 3, 3, 3, 3, 3]);

  w.write(type, 3);
  w.write(size, 24);
  if (type === 2) for (const len of aligned.lengths) w.write(len, 3);
  writeLengths(w, state.mainLens, main.lengths, 0, 256, state.pretreeCodes);
  writeLengths(w, state.mainLens, main.lengths, 256, mainSymbols, state.pretreeCodes);
  writeLengths(w, state.lengthLens, length.lengths, 0, 249, state.pretreeCodes);

  let p = start;
  for (const t of tokens) {
    if ("literal" in t) {
      main.put(w, t.literal);
      stats.literals++;
      p++;
    } else {
      const header = Math.min(t.length - 2, 7);
      main.put(w, 256 + t.slot * 8 + header);
      if (header === 7 && !emptyLengthTree) {
        length.put(w, t.length - 9);
        stats.longLengths++;
      }
      stats.matches++;
      if (t.slot < 3) stats.repeats++;
      else {
        const extra = EXTRA[t.slot]!;
        if (type === 2 && extra >= 3) {
          if (extra > 3) w.write(t.bits >>> 3, extra - 3);
          aligned.put(w, t.bits & 7);
          stats.alignedOffsets++;
        } else if (extra > 0) {
          w.write(t.bits, extra);
        }
      }
      p += t.length;
    }
    reached(p);
  }
}

/** Writes lengths[first..last) against prev through a pretree, using runs (17, 18, 19) where they fit. */
function writeLengths(
  w: BitWriter,
  prev: number[],
  next: readonly number[],
  first: number,
  last: number,
  used: Set<number>,
): void {
  type Item = { code: number; extraBits?: number; extra?: number; then?: number };
  const items: Item[] = [];
  for (let x = first; x < last;) {
    let zeros = 0;
    while (x + zeros < last && next[x + zeros] === 0) zeros++;
    if (zeros >= 20) {
      const run = Math.min(zeros, 51);
      items.push({ code: 18, extraBits: 5, extra: run - 20 });
      x += run;
      continue;
    }
    if (zeros >= 4) {
      items.push({ code: 17, extraBits: 4, extra: zeros - 4 });
      x += zeros;
      continue;
    }
    let same = 1;
    while (x + same < last && same < 5 && next[x + same] === next[x]) same++;
    const delta = (prev[x]! - next[x]! + 17) % 17;
    if (same >= 4) {
      items.push({ code: 19, extraBits: 1, extra: same - 4, then: delta });
      x += same;
      continue;
    }
    items.push({ code: delta });
    x++;
  }
  const freq = new Array<number>(20).fill(0);
  for (const it of items) {
    freq[it.code]!++;
    if (it.then !== undefined) freq[it.then]!++;
  }
  const pretree = new Code(huffmanLengths(freq, 15));
  for (const len of pretree.lengths) w.write(len, 4);
  for (const it of items) {
    used.add(it.code);
    pretree.put(w, it.code);
    if (it.extraBits) w.write(it.extra!, it.extraBits);
    if (it.then !== undefined) pretree.put(w, it.then);
  }
  for (let x = first; x < last; x++) prev[x] = next[x]!;
}

/** Hash-chain match finder; also tries the three repeated offsets, which the decoder must then resolve. */
class MatchFinder {
  private readonly head = new Int32Array(1 << 16).fill(-1);
  private readonly prev: Int32Array;
  constructor(
    private readonly data: Uint8Array,
    private readonly windowSize: number,
  ) {
    this.prev = new Int32Array(data.length).fill(-1);
  }

  private hash(p: number): number {
    const d = this.data;
    return ((d[p]! << 8) ^ (d[p + 1]! << 4) ^ d[p + 2]!) & 0xffff;
  }

  insert(p: number): void {
    if (p + 2 >= this.data.length) return;
    const h = this.hash(p);
    this.prev[p] = this.head[h]!;
    this.head[h] = p;
  }

  find(p: number, blockEnd: number, repeats: number[]): { length: number; offset: number } | undefined {
    const d = this.data;
    // No match may cross the end of its block or of a 32 KiB frame (and so never the window's end).
    const max = Math.min(257, blockEnd - p, FRAME - (p % FRAME));
    const maxOffset = Math.min(p, this.windowSize - 3);
    if (max < 2) return undefined;
    const lengthAt = (offset: number) => {
      let n = 0;
      while (n < max && d[p + n] === d[p + n - offset]) n++;
      return n;
    };
    let best: { length: number; offset: number } | undefined;
    for (const offset of repeats) {
      if (offset < 1 || offset > maxOffset) continue;
      const n = lengthAt(offset);
      if (n >= 2 && (!best || n > best.length)) best = { length: n, offset };
    }
    if (p + 2 < d.length && max >= 3) {
      let candidate = this.head[this.hash(p)]!;
      for (let chain = 0; candidate >= 0 && chain < 32; chain++, candidate = this.prev[candidate]!) {
        const offset = p - candidate;
        if (offset > maxOffset) break;
        const n = lengthAt(offset);
        if (n >= 3 && (!best || n > best.length + 1)) best = { length: n, offset };
      }
    }
    return best;
  }
}

/** The compressor's side of E8 translation ([MS-PATCH] 2.1.1): relative call targets become absolute. */
export function translateE8(input: Uint8Array, translationSize: number): Uint8Array {
  const out = input.slice();
  for (let frameStart = 0; frameStart < out.length; frameStart += FRAME) {
    const size = Math.min(FRAME, out.length - frameStart);
    if (size <= 10) continue;
    for (let i = frameStart; i < frameStart + size - 10;) {
      if (out[i] !== 0xe8) {
        i++;
        continue;
      }
      const rel = out[i + 1]! | (out[i + 2]! << 8) | (out[i + 3]! << 16) | (out[i + 4]! << 24);
      if (rel >= -i && rel < translationSize) {
        const abs = rel < translationSize - i ? rel + i : rel - translationSize;
        for (let k = 0; k < 4; k++) out[i + 1 + k] = (abs >>> (8 * k)) & 0xff;
      }
      i += 5;
    }
  }
  return out;
}

// ---------------------------------------------------------------- Cabinet

export interface CabBlock {
  compressed: Uint8Array;
  uncompressed: number;
}

export interface CabinetSpec {
  files: { name: string; size: number; offset?: number; folder?: number; attribs?: number }[];
  folders: { typeCompress: number; blocks: CabBlock[] }[];
  checksums?: boolean;
  reserve?: { header: number; folder: number; data: number };
  /** Extra CFHEADER flag bits. */
  flags?: number;
  version?: [minor: number, major: number];
}

/** Writes a cabinet: header, folders, files, then each folder's CFDATA blocks. */
export function writeCabinet(spec: CabinetSpec): Buffer {
  const reserve = spec.reserve;
  const headerSize = 36 + (reserve ? 4 + reserve.header : 0);
  const folderSize = 8 + (reserve?.folder ?? 0);
  const dataHeader = 8 + (reserve?.data ?? 0);
  const names = spec.files.map((f) => Buffer.from(`${f.name}\0`, f.attribs && f.attribs & 0x80 ? "utf8" : "latin1"));
  const filesStart = headerSize + folderSize * spec.folders.length;
  let dataStart = filesStart + names.reduce((sum, n) => sum + 16 + n.length, 0);
  const folderStarts = spec.folders.map((f) => {
    const start = dataStart;
    dataStart += f.blocks.reduce((sum, b) => sum + dataHeader + b.compressed.length, 0);
    return start;
  });
  const out = Buffer.alloc(dataStart);
  out.write("MSCF", 0, "latin1");
  out.writeUInt32LE(dataStart, 8);
  out.writeUInt32LE(filesStart, 16);
  out[24] = spec.version?.[0] ?? 3;
  out[25] = spec.version?.[1] ?? 1;
  out.writeUInt16LE(spec.folders.length, 26);
  out.writeUInt16LE(spec.files.length, 28);
  out.writeUInt16LE((reserve ? 4 : 0) | (spec.flags ?? 0), 30);
  let p = 36;
  if (reserve) {
    out.writeUInt16LE(reserve.header, p);
    out[p + 2] = reserve.folder;
    out[p + 3] = reserve.data;
    p += 4 + reserve.header;
  }
  spec.folders.forEach((f, i) => {
    out.writeUInt32LE(folderStarts[i]!, p);
    out.writeUInt16LE(f.blocks.length, p + 4);
    out.writeUInt16LE(f.typeCompress, p + 6);
    p += folderSize;
  });
  let offsetInFolder = 0;
  spec.files.forEach((f, i) => {
    out.writeUInt32LE(f.size, p);
    out.writeUInt32LE(f.offset ?? offsetInFolder, p + 4);
    out.writeUInt16LE(f.folder ?? 0, p + 8);
    out.writeUInt16LE(f.attribs ?? 0, p + 14);
    names[i]!.copy(out, p + 16);
    p += 16 + names[i]!.length;
    offsetInFolder += f.size;
  });
  for (const f of spec.folders) {
    for (const b of f.blocks) {
      out.writeUInt16LE(b.compressed.length, p + 4);
      out.writeUInt16LE(b.uncompressed, p + 6);
      out.set(b.compressed, p + dataHeader);
      if (spec.checksums) {
        const data = p + dataHeader;
        const sum = cabChecksum(out, p + 4, data, cabChecksum(out, data, data + b.compressed.length, 0));
        out.writeUInt32LE(sum, p);
      }
      p += dataHeader + b.compressed.length;
    }
  }
  return out;
}

export function storedBlocks(data: Uint8Array, size = FRAME): CabBlock[] {
  const blocks: CabBlock[] = [];
  for (let p = 0; p < data.length; p += size) {
    const chunk = data.subarray(p, p + size);
    blocks.push({ compressed: chunk, uncompressed: chunk.length });
  }
  return blocks;
}

/** MSZIP: per 32 KiB, "CK" and a raw deflate stream with the previous 32 KiB as its dictionary. */
export function mszipBlocks(data: Uint8Array): CabBlock[] {
  const blocks: CabBlock[] = [];
  for (let p = 0; p < data.length; p += FRAME) {
    const chunk = data.subarray(p, p + FRAME);
    const dictionary = data.subarray(Math.max(0, p - FRAME), p);
    const deflated = deflateRawSync(chunk, dictionary.length > 0 ? { dictionary } : {});
    blocks.push({ compressed: Buffer.concat([Buffer.from("CK", "latin1"), deflated]), uncompressed: chunk.length });
  }
  return blocks;
}

/** An LZX stream cut into CFDATA blocks at its frame boundaries, as Microsoft's compressor does. */
export function lzxBlocks(encoded: LzxEncoded): CabBlock[] {
  let start = 0;
  return encoded.frames.map((f) => {
    const block = { compressed: encoded.stream.subarray(start, f.end), uncompressed: f.size };
    start = f.end;
    return block;
  });
}

/** Seeded test data: repetitive "XML-like" text, optionally mixed with random bytes and E8 call sequences. */
export function sampleData(random: () => number, size: number, kind: "text" | "binary" | "mixed" | "e8"): Uint8Array {
  const out = new Uint8Array(size);
  const words = ["<upd:Update", "xmlns", "Prerequisite", "UpdateId=", '"', "</", ">", " ", "Revision", "\r\n", "="];
  let p = 0;
  while (p < size) {
    const choice = random();
    if (kind === "e8" && choice < 0.3) {
      out[p++] = 0xe8;
      const target = Math.floor((random() - 0.5) * 2 ** 25) | 0;
      for (let k = 0; k < 4 && p < size; k++) out[p++] = (target >>> (8 * k)) & 0xff;
    } else if ((kind === "binary" && choice < 0.9) || (kind === "mixed" && choice < 0.2)) {
      const n = 1 + Math.floor(random() * 64);
      for (let k = 0; k < n && p < size; k++) out[p++] = Math.floor(random() * 256);
    } else if (choice < 0.97 || p < 300) {
      const word = words[Math.floor(random() * words.length)]!;
      for (let k = 0; k < word.length && p < size; k++) out[p++] = word.charCodeAt(k);
    } else {
      // A long verbatim copy from far back: long matches, long lengths, large offsets.
      const n = 100 + Math.floor(random() * 400);
      const from = Math.floor(random() * (p - 1));
      for (let k = 0; k < n && p < size; k++) out[p++] = out[from + k]!;
    }
  }
  return out;
}
