// XmlUpdateBlobCompressed ([MS-WSUSSS] GetUpdateData): base64 of a cabinet whose member "blob" is the update
// document in UTF-16LE (with or without a byte order mark).
import { CabError, decodeCabinet, type DecodeCabinetOptions } from "./cab.ts";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Most bytes one blob may decompress to (32 MiB): the UTF-16 of the longest update document we parse (16 Mi
 * characters; the largest real one is 38 KB). A cabinet declaring more is refused before anything is inflated.
 */
export const MAX_UPDATE_BLOB_BYTES = 32 * 1024 * 1024;

/**
 * The update document of an XmlUpdateBlobCompressed value. Throws CabError (or LzxError) when the value is not
 * base64, not a cabinet, has no "blob" member, or the member is not UTF-16LE text; CabLimitError when it would
 * decompress to more than maxUncompressedBytes (default MAX_UPDATE_BLOB_BYTES).
 */
export function decodeCompressedUpdateBlob(base64: string, options: DecodeCabinetOptions = {}): string {
  const compact = base64.replace(/[\t\n\r ]+/g, "");
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new CabError(`the value is not base64 (${compact.length} characters)`);
  }
  const { files } = decodeCabinet(Buffer.from(compact, "base64"), {
    maxUncompressedBytes: options.maxUncompressedBytes ?? MAX_UPDATE_BLOB_BYTES,
  });
  const member = files.find((f) => f.name.toLowerCase() === "blob") ?? (files.length === 1 ? files[0] : undefined);
  if (!member) {
    const names = files.map((f) => JSON.stringify(f.name)).join(", ") || "none";
    throw new CabError(`the cabinet has no member "blob" (members: ${names})`);
  }
  return utf16le(member.data, member.name);
}

const utf16Decoder = new TextDecoder("utf-16le", { fatal: true, ignoreBOM: true });

function utf16le(data: Uint8Array, name: string): string {
  if (data.length % 2 !== 0) {
    throw new CabError(`member "${name}" has ${data.length} bytes, an odd count for UTF-16LE text`);
  }
  const hasBom = data.length >= 2 && data[0] === 0xff && data[1] === 0xfe;
  try {
    return utf16Decoder.decode(hasBom ? data.subarray(2) : data);
  } catch {
    throw new CabError(`member "${name}" is not valid UTF-16LE text (an unpaired surrogate)`);
  }
}
