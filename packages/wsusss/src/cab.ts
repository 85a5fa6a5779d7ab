// Reading a Microsoft Cabinet file ([MS-CAB]) held in memory, as WSUS sends update documents in
// XmlUpdateBlobCompressed: a CFHEADER, its CFFOLDERs, the CFFILE entries, and per folder a run of CFDATA blocks,
// each decompressing to at most 32 KiB. Folders may be stored (typeCompress 0), MSZIP (1: "CK" and raw deflate
// per block, the previous 32 KiB as dictionary) or LZX (3, window size in the high byte); Quantum (2) is refused.
// A cabinet of a multi-cabinet set is refused too. Every size is checked against the buffer before it is used, the
// declared output is bounded (64 MiB by default), and every problem is a CabError or LzxError naming the offset.
import { constants as zlibConstants, inflateRawSync } from "node:zlib";
import { LzxError } from "./bits.ts";
import { decompressLzx, LZX_MAX_WINDOW_BITS, LZX_MIN_WINDOW_BITS } from "./lzx.ts";

/** A malformed or unsupported cabinet: the message says what was wrong and at which byte of the cabinet. */
export class CabError extends Error {
  override name = "CabError";
  constructor(
    message: string,
    /** Byte offset in the cabinet where the problem was found, when known. */
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at cabinet offset ${offset})`);
  }
}

/** The cabinet declares more uncompressed data than allowed (a decompression bomb, or a limit set too low). */
export class CabLimitError extends CabError {
  override name = "CabLimitError";
}

export interface CabinetFile {
  name: string;
  data: Buffer;
}

export interface Cabinet {
  files: CabinetFile[];
}

export interface DecodeCabinetOptions {
  /** Largest total of uncompressed bytes accepted, default 64 MiB. Checked before anything is decompressed. */
  maxUncompressedBytes?: number;
}

export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;

const CFHEADER_SIZE = 36;
const CFFOLDER_SIZE = 8;
const CFFILE_SIZE = 16;
const CFDATA_SIZE = 8;
const MAX_BLOCK = 32768; // CB_MAX_CHUNK: a CFDATA block never decompresses to more
const MAX_NAME = 256; // CB_MAX_FILENAME, including the terminating NUL

const FLAG_PREV_CABINET = 0x0001;
const FLAG_NEXT_CABINET = 0x0002;
const FLAG_RESERVE_PRESENT = 0x0004;

const COMP_NONE = 0;
const COMP_MSZIP = 1;
const COMP_QUANTUM = 2;
const COMP_LZX = 3;

const IFOLD_CONTINUED_FROM_PREV = 0xfffd; // 0xFFFD..0xFFFF: the file spans cabinets
const ATTRIB_NAME_IS_UTF = 0x80;

interface Folder {
  index: number;
  /** Offset of the CFFOLDER entry, for messages. */
  at: number;
  dataStart: number;
  blocks: number;
  typeCompress: number;
}

interface Block {
  /** Offset of the CFDATA header. */
  at: number;
  /** Offset of the compressed bytes. */
  data: number;
  compressed: number;
  uncompressed: number;
}

/** Decodes every file of an in-memory cabinet. Throws CabError (or LzxError for a bad LZX stream) on any problem. */
export function decodeCabinet(buffer: Uint8Array, options: DecodeCabinetOptions = {}): Cabinet {
  const max = options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
  const buf = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (buf.length < CFHEADER_SIZE) {
    throw new CabError(`${buf.length} bytes are too few for a cabinet header (${CFHEADER_SIZE})`, 0);
  }
  if (buf.toString("latin1", 0, 4) !== "MSCF") {
    throw new CabError(`signature is ${JSON.stringify(buf.toString("latin1", 0, 4))}, not "MSCF"`, 0);
  }
  const cbCabinet = buf.readUInt32LE(8);
  if (cbCabinet < CFHEADER_SIZE) throw new CabError(`cbCabinet ${cbCabinet} is smaller than the header`, 8);
  if (cbCabinet > buf.length) {
    throw new CabError(`cbCabinet says ${cbCabinet} bytes, only ${buf.length} are present (truncated?)`, 8);
  }
  // From here on, nothing past cbCabinet is read.
  const size = cbCabinet;
  const need = (offset: number, bytes: number, what: string) => {
    if (offset + bytes > size) {
      throw new CabError(`${what} needs ${bytes} bytes at offset ${offset}, past the cabinet's end (${size})`, offset);
    }
  };

  const versionMinor = buf[24]!;
  const versionMajor = buf[25]!;
  if (versionMajor !== 1 || versionMinor !== 3) {
    throw new CabError(`version ${versionMajor}.${versionMinor} is not 1.3`, 24);
  }
  const coffFiles = buf.readUInt32LE(16);
  const cFolders = buf.readUInt16LE(26);
  const cFiles = buf.readUInt16LE(28);
  const flags = buf.readUInt16LE(30);
  if (flags & (FLAG_PREV_CABINET | FLAG_NEXT_CABINET)) {
    throw new CabError(`flags 0x${hex(flags)}: cabinets spanning several files are not supported`, 30);
  }
  if (flags & ~FLAG_RESERVE_PRESENT) throw new CabError(`flags 0x${hex(flags)} has unknown bits`, 30);

  let offset = CFHEADER_SIZE;
  let folderReserve = 0;
  let dataReserve = 0;
  if (flags & FLAG_RESERVE_PRESENT) {
    need(offset, 4, "the reserve sizes");
    const headerReserve = buf.readUInt16LE(offset);
    folderReserve = buf[offset + 2]!;
    dataReserve = buf[offset + 3]!;
    if (headerReserve > 60000) throw new CabError(`cbCFHeader ${headerReserve} is more than 60000`, offset);
    offset += 4;
    need(offset, headerReserve, "the header's reserved area");
    offset += headerReserve;
  }

  const folders: Folder[] = [];
  for (let i = 0; i < cFolders; i++) {
    need(offset, CFFOLDER_SIZE + folderReserve, `CFFOLDER ${i}`);
    folders.push({
      index: i,
      at: offset,
      dataStart: buf.readUInt32LE(offset),
      blocks: buf.readUInt16LE(offset + 4),
      typeCompress: buf.readUInt16LE(offset + 6),
    });
    offset += CFFOLDER_SIZE + folderReserve;
  }

  const entries: { name: string; size: number; folderOffset: number; folder: number; at: number }[] = [];
  offset = coffFiles;
  for (let i = 0; i < cFiles; i++) {
    need(offset, CFFILE_SIZE + 1, `CFFILE ${i}`);
    const fileSize = buf.readUInt32LE(offset);
    const folderOffset = buf.readUInt32LE(offset + 4);
    const folder = buf.readUInt16LE(offset + 8);
    const attribs = buf.readUInt16LE(offset + 14);
    const nameStart = offset + CFFILE_SIZE;
    const nameLimit = Math.min(size, nameStart + MAX_NAME);
    const nul = buf.subarray(nameStart, nameLimit).indexOf(0);
    const nameEnd = nameStart + nul;
    if (nul < 0) {
      throw new CabError(`CFFILE ${i}: the name is not NUL-terminated within ${MAX_NAME} bytes`, nameStart);
    }
    const name = buf.toString(attribs & ATTRIB_NAME_IS_UTF ? "utf8" : "latin1", nameStart, nameEnd);
    if (folder >= IFOLD_CONTINUED_FROM_PREV) {
      throw new CabError(`file "${name}" continues from or into another cabinet, which is not supported`, offset + 8);
    }
    if (folder >= cFolders) {
      throw new CabError(`file "${name}" is in folder ${folder}, the cabinet has ${cFolders}`, offset + 8);
    }
    entries.push({ name, size: fileSize, folderOffset, folder, at: offset });
    offset = nameEnd + 1;
  }

  // Decode the folders that hold files, after checking the sizes they declare.
  const blocksOf = new Map<number, Block[]>();
  let total = 0;
  for (const folder of folders) {
    if (!entries.some((e) => e.folder === folder.index)) continue;
    const blocks = readBlocks(buf, size, folder, dataReserve);
    const folderSize = blocks.reduce((sum, b) => sum + b.uncompressed, 0);
    total += folderSize;
    if (total > max) {
      throw new CabLimitError(
        `the cabinet declares ${total} or more uncompressed bytes, more than the limit of ${max}`,
      );
    }
    for (const e of entries.filter((e) => e.folder === folder.index)) {
      if (e.folderOffset + e.size > folderSize) {
        throw new CabError(
          `file "${e.name}" (${e.size} bytes at ${e.folderOffset}) lies outside folder ${folder.index} ` +
            `(${folderSize} bytes)`,
          e.at,
        );
      }
    }
    blocksOf.set(folder.index, blocks);
  }
  const output = new Map<number, Buffer>();
  for (const folder of folders) {
    const blocks = blocksOf.get(folder.index);
    if (blocks) output.set(folder.index, decompressFolder(buf, folder, blocks));
  }

  return {
    files: entries.map((e) => ({
      name: e.name,
      data: output.get(e.folder)!.subarray(e.folderOffset, e.folderOffset + e.size),
    })),
  };
}

function readBlocks(buf: Buffer, size: number, folder: Folder, reserve: number): Block[] {
  const blocks: Block[] = [];
  let offset = folder.dataStart;
  for (let i = 0; i < folder.blocks; i++) {
    const what = `folder ${folder.index}, CFDATA ${i}`;
    if (offset + CFDATA_SIZE + reserve > size) {
      throw new CabError(`${what}: the block header lies past the cabinet's end (${size})`, offset);
    }
    const checksum = buf.readUInt32LE(offset);
    const compressed = buf.readUInt16LE(offset + 4);
    const uncompressed = buf.readUInt16LE(offset + 6);
    const data = offset + CFDATA_SIZE + reserve;
    if (data + compressed > size) {
      throw new CabError(`${what}: ${compressed} bytes of data run past the cabinet's end (${size})`, offset + 4);
    }
    if (uncompressed === 0) {
      throw new CabError(`${what}: cbUncomp is 0 (a block continued in another cabinet?)`, offset + 6);
    }
    if (uncompressed > MAX_BLOCK) {
      throw new CabError(`${what}: cbUncomp ${uncompressed} is more than ${MAX_BLOCK}`, offset + 6);
    }
    if (checksum !== 0) {
      const computed = cabChecksum(buf, offset + 4, data, cabChecksum(buf, data, data + compressed, 0));
      if (computed !== checksum) {
        throw new CabError(`${what}: checksum 0x${hex(computed)} does not match the stored 0x${hex(checksum)}`, offset);
      }
    }
    blocks.push({ at: offset, data, compressed, uncompressed });
    offset = data + compressed;
  }
  return blocks;
}

/** The CFDATA checksum: XOR of the little-endian 32-bit words, a short tail packed first byte highest. */
export function cabChecksum(buf: Uint8Array, start: number, end: number, seed: number): number {
  let sum = seed;
  let p = start;
  for (; p + 4 <= end; p += 4) sum ^= buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24);
  let tail = 0;
  for (; p < end; p++) tail = (tail << 8) | buf[p]!;
  return (sum ^ tail) >>> 0;
}

function decompressFolder(buf: Buffer, folder: Folder, blocks: Block[]): Buffer {
  const type = folder.typeCompress & 0x000f;
  const folderSize = blocks.reduce((sum, b) => sum + b.uncompressed, 0);
  const typeAt = folder.at + 6;
  if (type === COMP_NONE || type === COMP_MSZIP) {
    if (folder.typeCompress !== type) {
      throw new CabError(`folder ${folder.index}: typeCompress 0x${hex(folder.typeCompress)} is malformed`, typeAt);
    }
    return type === COMP_NONE ? copyStored(buf, folder, blocks, folderSize) : inflateMszip(buf, folder, blocks);
  }
  if (type === COMP_LZX) {
    const windowBits = (folder.typeCompress >> 8) & 0x1f;
    if (folder.typeCompress & 0xe0f0 || windowBits < LZX_MIN_WINDOW_BITS || windowBits > LZX_MAX_WINDOW_BITS) {
      throw new CabError(
        `folder ${folder.index}: typeCompress 0x${hex(folder.typeCompress)} is not LZX with a window of 2^15 to 2^21`,
        typeAt,
      );
    }
    const input = Buffer.concat(blocks.map((b) => buf.subarray(b.data, b.data + b.compressed)));
    // Name an offset of the concatenated stream by its block and cabinet offset.
    const where = (streamOffset: number) => {
      let base = 0;
      for (const [i, b] of blocks.entries()) {
        if (streamOffset < base + b.compressed || i === blocks.length - 1) {
          const inBlock = streamOffset - base;
          return `in folder ${folder.index}, CFDATA ${i}, byte ${inBlock} (cabinet offset ${b.data + inBlock})`;
        }
        base += b.compressed;
      }
      return `in folder ${folder.index} at stream byte ${streamOffset}`;
    };
    const out = decompressLzx(input, { windowBits, outputSize: folderSize, where });
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  }
  const name = type === COMP_QUANTUM ? "Quantum" : `type ${type}`;
  throw new CabError(`folder ${folder.index}: ${name} compression is not supported`, typeAt);
}

function copyStored(buf: Buffer, folder: Folder, blocks: Block[], folderSize: number): Buffer {
  const out = Buffer.alloc(folderSize);
  let pos = 0;
  for (const [i, b] of blocks.entries()) {
    if (b.compressed !== b.uncompressed) {
      throw new CabError(
        `folder ${folder.index}, CFDATA ${i}: a stored block of ${b.compressed} bytes says it holds ${b.uncompressed}`,
        b.at + 4,
      );
    }
    buf.copy(out, pos, b.data, b.data + b.compressed);
    pos += b.compressed;
  }
  return out;
}

/** MSZIP: each block is "CK" and a raw deflate stream that may refer back to the previous 32 KiB of output. */
function inflateMszip(buf: Buffer, folder: Folder, blocks: Block[]): Buffer {
  const parts: Buffer[] = [];
  let history = Buffer.alloc(0);
  for (const [i, b] of blocks.entries()) {
    const what = `folder ${folder.index}, CFDATA ${i}`;
    if (b.compressed < 2 || buf[b.data] !== 0x43 || buf[b.data + 1] !== 0x4b) {
      throw new CabError(`${what}: an MSZIP block does not start with "CK"`, b.data);
    }
    let block: Buffer;
    try {
      block = inflateRawSync(buf.subarray(b.data + 2, b.data + b.compressed), {
        ...(history.length > 0 && { dictionary: history }),
        maxOutputLength: MAX_BLOCK,
        // A block's deflate data need not end with a final block; its length is checked below instead.
        finishFlush: zlibConstants.Z_SYNC_FLUSH,
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new CabError(`${what}: the deflate data is malformed (${reason})`, b.data + 2);
    }
    if (block.length !== b.uncompressed) {
      throw new CabError(`${what}: inflates to ${block.length} bytes, cbUncomp says ${b.uncompressed}`, b.at + 6);
    }
    parts.push(block);
    history = Buffer.concat([history, block]);
    if (history.length > MAX_BLOCK) history = history.subarray(history.length - MAX_BLOCK);
  }
  return Buffer.concat(parts);
}

function hex(n: number): string {
  return n.toString(16).padStart(4, "0");
}

export { LzxError };
