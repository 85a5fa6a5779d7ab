// LZX decompression as Cabinet folders use it (typeCompress 3; the format of [MS-PATCH] without the DELTA
// extensions), written from the LZX description in [MS-PATCH] 2 and the quirks libmspack's lzxd.c documents:
//
// - The stream starts with one bit saying whether E8 call translation is on, then 32 bits of translation size.
// - Blocks: 3 bits of type (1 verbatim, 2 aligned offset, 3 uncompressed) and 24 bits of uncompressed length. An
//   aligned block first sends 8 × 3-bit aligned-tree lengths; verbatim and aligned blocks then send the main tree
//   (256 literals, then 8 length headers per position slot) and the length tree (249 symbols), each length coded
//   against the previous block's value through a 20-symbol pretree; the lengths persist from block to block. The
//   length tree may be empty when the block has no long matches. An uncompressed block pads to a 16-bit boundary
//   (1 to 16 bits), stores R0, R1, R2 as 32-bit little-endian values, then the bytes, plus a pad byte if odd.
// - Matches: main symbol 256 + (slot << 3 | length header); slots 0-2 repeat R0-R2 (swapping the used one to the
//   front), other slots carry extra offset bits (in aligned blocks the low 3 come from the aligned tree).
// - Output comes in 32 KiB frames; a match never crosses a frame's (or a block's) end. The bitstream realigns to
//   16 bits after each frame, and E8 translation is undone per frame on the output copy (never in the window),
//   except in a frame's last 10 bytes.
// - One stream spans all CFDATA blocks of a folder: window, trees and R0-R2 carry over.
import { BitReader, HuffmanTable, LzxError } from "./bits.ts";

export { LzxError } from "./bits.ts";

const FRAME_SIZE = 32768;
const NUM_CHARS = 256;
const MIN_MATCH = 2;
const NUM_PRIMARY_LENGTHS = 7;
const NUM_SECONDARY_LENGTHS = 249;
const PRETREE_SYMBOLS = 20;
const ALIGNED_SYMBOLS = 8;
const LENGTH_SLACK = 64; // libmspack's LZX_LENTABLE_SAFETY: a run code may write past the last length

const BLOCK_VERBATIM = 1;
const BLOCK_ALIGNED = 2;
const BLOCK_UNCOMPRESSED = 3;

/** Position slots for window sizes 2^15 .. 2^21 ("the first slot whose base reaches the window size"). */
const POSITION_SLOTS = [30, 32, 34, 36, 38, 42, 50] as const;
const MAX_SLOTS = 50;
/** Extra offset bits and offset base of each position slot. */
const EXTRA_BITS = new Uint8Array(MAX_SLOTS);
const POSITION_BASE = new Uint32Array(MAX_SLOTS);
for (let slot = 0, base = 0; slot < MAX_SLOTS; slot++) {
  const extra = slot < 4 ? 0 : slot < 36 ? (slot >> 1) - 1 : 17;
  EXTRA_BITS[slot] = extra;
  POSITION_BASE[slot] = base;
  base += 1 << extra;
}

export const LZX_MIN_WINDOW_BITS = 15;
export const LZX_MAX_WINDOW_BITS = 21;

export interface LzxOptions {
  /** log2 of the window size, 15..21 (the high byte of a Cabinet folder's typeCompress). */
  windowBits: number;
  /** Exact number of bytes the stream decodes to. */
  outputSize: number;
  /** Names an offset of `input` for error messages (default "at input byte N"). */
  where?: (offset: number) => string;
}

/** Decompresses one LZX stream of exactly `outputSize` bytes; any malformation throws LzxError. */
export function decompressLzx(input: Uint8Array, options: LzxOptions): Uint8Array {
  return new LzxDecoder(input, options).run();
}

class LzxDecoder {
  private readonly r: BitReader;
  private readonly windowSize: number;
  /** The sliding window; smaller than windowSize when the whole output fits (it then never wraps). */
  private readonly window: Uint8Array;
  private readonly outputSize: number;
  private readonly mainSymbols: number;

  private readonly pretree = new HuffmanTable("pretree", PRETREE_SYMBOLS, 6);
  private readonly main: HuffmanTable;
  private readonly length = new HuffmanTable("length tree", NUM_SECONDARY_LENGTHS, 12, LENGTH_SLACK);
  private readonly aligned = new HuffmanTable("aligned offset tree", ALIGNED_SYMBOLS, 7);

  private r0 = 1;
  private r1 = 1;
  private r2 = 1;
  private blockType = 0;
  private blockLength = 0;
  private blockRemaining = 0;
  private intelFileSize = 0;
  private intelStarted = false;
  /** Write position in the window. */
  private wpos = 0;
  /** The window has wrapped at least once, so offsets may reach behind wpos. */
  private wrapped = false;

  constructor(input: Uint8Array, options: LzxOptions) {
    const { windowBits, outputSize } = options;
    if (!Number.isInteger(windowBits) || windowBits < LZX_MIN_WINDOW_BITS || windowBits > LZX_MAX_WINDOW_BITS) {
      throw new LzxError(`LZX window of 2^${windowBits} bytes is not supported (2^15 to 2^21)`);
    }
    if (!Number.isSafeInteger(outputSize) || outputSize < 0) {
      throw new LzxError(`output size ${outputSize} is not a byte count`);
    }
    this.r = new BitReader(input, 0, input.length, options.where);
    this.windowSize = 2 ** windowBits;
    this.outputSize = outputSize;
    this.window = new Uint8Array(
      outputSize <= this.windowSize ? Math.ceil(outputSize / FRAME_SIZE) * FRAME_SIZE : this.windowSize,
    );
    this.mainSymbols = NUM_CHARS + POSITION_SLOTS[windowBits - LZX_MIN_WINDOW_BITS]! * 8;
    this.main = new HuffmanTable("main tree", this.mainSymbols, 12, LENGTH_SLACK);
  }

  run(): Uint8Array {
    const { r, window, outputSize } = this;
    const out = new Uint8Array(outputSize);
    if (outputSize === 0) return out;

    // Header: E8 translation flag and, when set, the translation size (high 16 bits first).
    if (r.read(1)) {
      const high = r.read(16);
      this.intelFileSize = (high << 16) | r.read(16) | 0;
    }

    let framePos = 0; // frame start in the window
    for (let outPos = 0, frame = 0; outPos < outputSize; frame++) {
      const frameSize = Math.min(FRAME_SIZE, outputSize - outPos);
      let todo = framePos + frameSize - this.wpos;
      while (todo > 0) {
        if (this.blockRemaining === 0) this.readBlockHeader();
        const run = Math.min(this.blockRemaining, todo);
        todo -= run;
        this.blockRemaining -= run;
        if (this.blockType === BLOCK_UNCOMPRESSED) {
          this.copyStored(run);
        } else {
          this.decodeCompressed(run);
        }
      }
      if (this.wpos - framePos !== frameSize) {
        r.fail(`frame ${frame} decodes to ${this.wpos - framePos} bytes instead of ${frameSize}`);
      }
      r.alignToWord();
      if (r.usedUpTo > r.end) r.fail("the compressed data ends early", r.end);

      out.set(window.subarray(framePos, framePos + frameSize), outPos);
      if (this.intelStarted && this.intelFileSize !== 0 && frame < 32768 && frameSize > 10) {
        undoE8(out, outPos, frameSize, this.intelFileSize);
      }
      outPos += frameSize;
      framePos += frameSize;
      if (this.wpos === window.length) {
        this.wpos = 0;
        this.wrapped = true;
      }
      if (framePos === window.length) framePos = 0;
    }
    return out;
  }

  private readBlockHeader(): void {
    const r = this.r;
    if (this.blockType === BLOCK_UNCOMPRESSED && this.blockLength & 1) {
      if (r.pos >= r.end) r.fail("the pad byte after an odd uncompressed block is missing", r.end);
      r.pos++;
    }
    const at = r.offset;
    this.blockType = r.read(3);
    this.blockLength = this.blockRemaining = (r.read(16) << 8) | r.read(8);
    const fail = (message: string): never => r.fail(message);
    if (this.blockType === BLOCK_VERBATIM || this.blockType === BLOCK_ALIGNED) {
      // An aligned block sends its aligned-offset tree first; the rest is a verbatim block's header.
      if (this.blockType === BLOCK_ALIGNED) {
        for (let i = 0; i < ALIGNED_SYMBOLS; i++) this.aligned.lengths[i] = r.read(3);
        this.aligned.build(fail);
      }
      this.readLengths(this.main.lengths, 0, NUM_CHARS);
      this.readLengths(this.main.lengths, NUM_CHARS, this.mainSymbols);
      this.main.build(fail);
      if (this.main.lengths[0xe8] !== 0) this.intelStarted = true;
      this.readLengths(this.length.lengths, 0, NUM_SECONDARY_LENGTHS);
      this.length.build(fail, true);
    } else if (this.blockType === BLOCK_UNCOMPRESSED) {
      this.intelStarted = true;
      r.enterByteMode();
      if (r.pos + 12 > r.end) r.fail("an uncompressed block's R0-R2 run past the end of the input", r.end);
      const d = r.data;
      const u32 = (p: number) => (d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24)) >>> 0;
      this.r0 = u32(r.pos);
      this.r1 = u32(r.pos + 4);
      this.r2 = u32(r.pos + 8);
      r.pos += 12;
    } else {
      r.fail(`block type ${this.blockType} is not verbatim (1), aligned (2) or uncompressed (3)`, at);
    }
  }

  /** Reads code lengths lens[first..last) against their previous values, through a freshly sent pretree. */
  private readLengths(lens: Uint8Array, first: number, last: number): void {
    const { r, pretree } = this;
    for (let i = 0; i < PRETREE_SYMBOLS; i++) pretree.lengths[i] = r.read(4);
    pretree.build((message) => r.fail(message));
    let x = first;
    while (x < last) {
      const code = pretree.decode(r);
      let run = 1;
      let value = 0;
      if (code === 17) {
        run = r.read(4) + 4;
      } else if (code === 18) {
        run = r.read(5) + 20;
      } else if (code === 19) {
        run = r.read(1) + 4;
        const delta = pretree.decode(r);
        if (delta > 16) r.fail(`pretree code 19 is followed by code ${delta}, not a length delta`);
        value = (lens[x]! + 17 - delta) % 17;
      } else {
        value = (lens[x]! + 17 - code) % 17;
      }
      // Runs may overshoot `last` by up to 50 entries, into the slack the length arrays keep for that.
      if (x + run > lens.length) r.fail(`a run of ${run} code lengths overruns the tree`);
      lens.fill(value, x, x + run);
      x += run;
    }
  }

  /** Copies `count` bytes of an uncompressed block from the input to the window. */
  private copyStored(count: number): void {
    const r = this.r;
    if (r.pos + count > r.end) r.fail(`an uncompressed block needs ${count} bytes, the input has fewer`, r.end);
    this.window.set(r.data.subarray(r.pos, r.pos + count), this.wpos);
    r.pos += count;
    this.wpos += count;
  }

  /** Decodes `count` bytes of a verbatim or aligned block (up to the end of the block or of the frame). */
  private decodeCompressed(count: number): void {
    const { r, window, main, length, aligned } = this;
    const isAligned = this.blockType === BLOCK_ALIGNED;
    const limit = window.length;
    let { r0, r1, r2, wpos } = this;
    let remaining = count;
    while (remaining > 0) {
      const sym = main.decode(r);
      if (sym < NUM_CHARS) {
        window[wpos++] = sym;
        remaining--;
        continue;
      }
      const header = sym - NUM_CHARS;
      let matchLength = header & 7;
      if (matchLength === NUM_PRIMARY_LENGTHS) {
        if (length.empty) r.fail("a match needs the length tree, which this block left empty");
        matchLength += length.decode(r);
      }
      matchLength += MIN_MATCH;

      const slot = header >>> 3;
      let offset: number;
      if (slot === 0) {
        offset = r0;
      } else if (slot === 1) {
        offset = r1;
        r1 = r0;
        r0 = offset;
      } else if (slot === 2) {
        offset = r2;
        r2 = r0;
        r0 = offset;
      } else {
        const extra = EXTRA_BITS[slot]!;
        offset = POSITION_BASE[slot]! - 2;
        if (isAligned && extra >= 3) {
          if (extra > 3) offset += r.read(extra - 3) << 3;
          offset += aligned.decode(r);
        } else if (extra > 0) {
          offset += r.read(extra);
        }
        r2 = r1;
        r1 = r0;
        r0 = offset;
      }

      // As in libmspack, a match never crosses the end of its block or of a 32 KiB frame (so never the window's).
      if (matchLength > remaining) {
        r.fail(`a match of ${matchLength} bytes runs past the end of its block or frame (${remaining} bytes left)`);
      }
      if (offset === 0) r.fail("a match has offset 0");
      let src: number;
      if (offset <= wpos) {
        src = wpos - offset;
      } else {
        if (!this.wrapped || offset > this.windowSize) {
          r.fail(`match offset ${offset} reaches before the start of the data (${wpos} bytes back available)`);
        }
        src = limit - (offset - wpos);
      }
      // Byte by byte: a match may overlap its own output (offset < length), and may wrap the window's end.
      for (let i = 0; i < matchLength; i++) {
        window[wpos++] = window[src++]!;
        if (src === limit) src = 0;
      }
      remaining -= matchLength;
    }
    this.r0 = r0;
    this.r1 = r1;
    this.r2 = r2;
    this.wpos = wpos;
  }
}

/**
 * Undoes E8 call translation in out[start .. start + size): every E8 byte before the frame's last 10 bytes is
 * followed by a 32-bit absolute target that the compressor made from a relative one; this makes it relative again.
 */
function undoE8(out: Uint8Array, start: number, size: number, fileSize: number): void {
  const end = start + size - 10;
  let i = start;
  let curpos = start;
  while (i < end) {
    if (out[i++] !== 0xe8) {
      curpos++;
      continue;
    }
    const abs = out[i]! | (out[i + 1]! << 8) | (out[i + 2]! << 16) | (out[i + 3]! << 24);
    if (abs >= -curpos && abs < fileSize) {
      const rel = abs >= 0 ? abs - curpos : abs + fileSize;
      out[i] = rel & 0xff;
      out[i + 1] = (rel >>> 8) & 0xff;
      out[i + 2] = (rel >>> 16) & 0xff;
      out[i + 3] = (rel >>> 24) & 0xff;
    }
    i += 4;
    curpos += 5;
  }
}
