// The proof that the decoder reads what real WSUS sends: the XmlUpdateBlobCompressed of every captured GetUpdateData
// answer that has one (000013, 000014, 000016) decodes, byte for byte, to the matching document in
// shared/fixtures/wsusss/docs/, which its README says was "decoded from the real XmlUpdateBlobCompressed / XmlUpdateBlob
// of GetUpdateData (Cabinet member `blob`, UTF-16LE converted to UTF-8)".
//
// Normalization applied: none beyond the conversion itself. The decoded string is encoded as UTF-8 and compared with
// the file's bytes as they are. The three members carry no byte order mark (checked below, so there is nothing to
// strip), and the files have neither a BOM nor a trailing newline; the line endings are the document's own.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CabError, decodeCabinet } from "./cab.ts";
import { storedBlocks, writeCabinet } from "./cab-test-support.ts";
import { exchange, FIXTURES } from "./test-support.ts";
import { decodeCompressedUpdateBlob } from "./update-blob.ts";
import { parseUpdateXml } from "./update-xml.ts";

const CAPTURES = ["000013", "000014", "000016"] as const;

/** The update identity and compressed blob of a captured GetUpdateData answer (one update per answer). */
function captured(id: string) {
  const body = exchange(id).responseBody;
  const blobs = [...body.matchAll(/<XmlUpdateBlobCompressed>([^<]*)<\/XmlUpdateBlobCompressed>/g)].map((m) => m[1]!);
  const updateId = /<UpdateID>([^<]*)<\/UpdateID>/.exec(body)?.[1] ?? "";
  const revision = /<RevisionNumber>([^<]*)<\/RevisionNumber>/.exec(body)?.[1] ?? "";
  return { blobs, updateId, revision, doc: join(FIXTURES, "docs", `${updateId}-r${revision}.xml`) };
}

function cabinetOf(text: string, bom: boolean): string {
  const bytes = Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(text, "utf16le")]);
  return writeCabinet({
    files: [{ name: "blob", size: bytes.length }],
    folders: [{ typeCompress: 0, blocks: storedBlocks(bytes) }],
  }).toString("base64");
}

describe("decodeCompressedUpdateBlob on the real captures", () => {
  it.each(CAPTURES)("%s decodes byte for byte to its document in docs/", (id) => {
    const { blobs, doc } = captured(id);
    expect(blobs).toHaveLength(1);
    const xml = decodeCompressedUpdateBlob(blobs[0]!);
    expect(Buffer.from(xml, "utf8").equals(readFileSync(doc))).toBe(true);
  });

  it.each(CAPTURES)("%s: one LZX (2^21 window) member named blob, UTF-16LE without a byte order mark", (id) => {
    const cabinet = Buffer.from(captured(id).blobs[0]!, "base64");
    expect(cabinet.readUInt16LE(0x2a)).toBe(0x1503); // CFFOLDER.typeCompress of the only folder
    const { files } = decodeCabinet(cabinet);
    expect(files.map((f) => f.name)).toEqual(["blob"]);
    const data = files[0]!.data;
    expect([data[0], data[1]]).toEqual([0x3c, 0x00]); // "<", no BOM
  });

  it.each(CAPTURES)("%s: the document is the update the answer names", (id) => {
    const { blobs, updateId, revision } = captured(id);
    const record = parseUpdateXml(decodeCompressedUpdateBlob(blobs[0]!));
    expect(record.updateId).toBe(updateId);
    expect(record.revisionNumber).toBe(Number(revision));
  });

  it("000013 spans three CFDATA blocks (two full 32 KiB frames) and non-ASCII titles", () => {
    const xml = decodeCompressedUpdateBlob(captured("000013").blobs[0]!);
    expect(Buffer.byteLength(xml, "utf16le")).toBe(32768 * 2 + 4034);
    expect(xml).toContain("Актуализация на аналитичната информация за защитата");
  });
});

describe("decodeCompressedUpdateBlob", () => {
  it("strips a byte order mark and decodes characters outside the BMP", () => {
    const text = '<upd:Update a="é 中 𝄞"/>';
    expect(decodeCompressedUpdateBlob(cabinetOf(text, true))).toBe(text);
    expect(decodeCompressedUpdateBlob(cabinetOf(text, false))).toBe(text);
  });

  it("accepts base64 broken over lines", () => {
    const b64 = cabinetOf("<a/>", false).replace(/(.{20})/g, "$1\r\n");
    expect(decodeCompressedUpdateBlob(b64)).toBe("<a/>");
  });

  it("takes a single member whatever its name, and blob among several", () => {
    const one = writeCabinet({
      files: [{ name: "other.xml", size: 8 }],
      folders: [{ typeCompress: 0, blocks: storedBlocks(Buffer.from("<b/>", "utf16le")) }],
    });
    expect(decodeCompressedUpdateBlob(one.toString("base64"))).toBe("<b/>");
    const data = Buffer.from("<x/><a/>", "utf16le");
    const two = writeCabinet({
      files: [
        { name: "x", size: 8 },
        { name: "BLOB", size: 8 },
      ],
      folders: [{ typeCompress: 0, blocks: storedBlocks(data) }],
    });
    expect(decodeCompressedUpdateBlob(two.toString("base64"))).toBe("<a/>");
  });

  it("refuses what is not base64, a cabinet without blob, and text that is not UTF-16LE", () => {
    expect(() => decodeCompressedUpdateBlob("TVNDRg==!")).toThrow(
      new CabError("the value is not base64 (9 characters)"),
    );
    expect(() => decodeCompressedUpdateBlob("TVNDR")).toThrow(/not base64/);
    expect(() => decodeCompressedUpdateBlob("")).toThrow(/too few for a cabinet header/);

    const data = Buffer.from("<x/><y/>", "utf16le");
    const noBlob = writeCabinet({
      files: [
        { name: "x", size: 8 },
        { name: "y", size: 8 },
      ],
      folders: [{ typeCompress: 0, blocks: storedBlocks(data) }],
    });
    expect(() => decodeCompressedUpdateBlob(noBlob.toString("base64"))).toThrow(
      /the cabinet has no member "blob" \(members: "x", "y"\)/,
    );

    const odd = writeCabinet({
      files: [{ name: "blob", size: 3 }],
      folders: [{ typeCompress: 0, blocks: storedBlocks(Buffer.from("abc")) }],
    });
    expect(() => decodeCompressedUpdateBlob(odd.toString("base64"))).toThrow(/3 bytes, an odd count for UTF-16LE/);

    const lone = Buffer.from([0x3c, 0x00, 0x00, 0xd8, 0x3e, 0x00]); // "<", a lone high surrogate, ">"
    const surrogate = writeCabinet({
      files: [{ name: "blob", size: lone.length }],
      folders: [{ typeCompress: 0, blocks: storedBlocks(lone) }],
    });
    expect(() => decodeCompressedUpdateBlob(surrogate.toString("base64"))).toThrow(/not valid UTF-16LE/);
  });
});
