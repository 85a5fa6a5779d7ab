// The update package format on its own: what the writer writes is what the verifier accepts, and every way a package
// can be damaged — a flipped byte, a cut, a changed line with the old checksum, another format version, a bomb, a
// line past the limit, lines out of order — is refused with its own code and a sentence that says what is wrong.
import { Readable } from "node:stream";
import { gunzipSync, gzipSync } from "node:zlib";
import type { PackageManifestLine } from "@syncpoint/contracts";
import { renderUpdateXml, type UpdateRecord } from "@syncpoint/wsusss";
import { describe, expect, it } from "vitest";
import { gunzipLines, PackageError, PackageWriter, verifyPackage, type VerifyOptions } from "./format.ts";

const SECURITY_UPDATES = "0fa1201d-4330-4fa8-8ae9-b877473b6441";
const WINDOWS_11 = "72e7624a-5b00-45d2-b92f-e561c0a6a160";

const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

function record(n: number, overrides: Partial<UpdateRecord> = {}): UpdateRecord {
  return {
    updateId: guid(n),
    revisionNumber: 100 + n,
    updateType: "Software",
    parentCategoryIds: [],
    defaultLanguage: "en",
    localized: [{ language: "en", title: `Update ${n}`, description: "An update" }],
    creationDate: "2026-10-13T17:00:00.000Z",
    publicationState: "Published",
    kbArticleIds: [String(5000000 + n)],
    securityBulletinIds: [],
    cveIds: [],
    classificationIds: [SECURITY_UPDATES],
    productIds: [WINDOWS_11],
    prerequisiteIds: [],
    bundledUpdates: [],
    supersededUpdateIds: [],
    files: [],
    ...overrides,
  };
}

const categories = [
  record(0, {
    updateId: SECURITY_UPDATES,
    updateType: "Category",
    categoryType: "UpdateClassification",
    classificationIds: [],
    productIds: [],
    revisionNumber: 1,
  }),
  record(0, {
    updateId: WINDOWS_11,
    updateType: "Category",
    categoryType: "Product",
    classificationIds: [],
    productIds: [],
    revisionNumber: 2,
  }),
].sort((a, b) => a.updateId.localeCompare(b.updateId));

function manifest(updates: number, overrides: Partial<PackageManifestLine> = {}): PackageManifestLine {
  return {
    type: "manifest",
    format: "syncpoint-update-package",
    formatVersion: 1,
    createdAt: "2026-11-24T12:00:00.000Z",
    generator: "Syncpoint test",
    source: { siteCode: "CAS", serverName: "cas.example.com" },
    catalogVersion: 42,
    filter: {
      products: [{ id: WINDOWS_11, title: "Windows 11" }],
      classifications: [{ id: SECURITY_UPDATES, title: "Security Updates" }],
    },
    languages: ["en"],
    counts: { categories: categories.length, updates, imported: 1 },
    ...overrides,
  };
}

/** A package of `n` updates (the first one imported) as the writer writes it. */
async function writePackage(n = 5, overrides: Partial<PackageManifestLine> = {}): Promise<Buffer> {
  const writer = new PackageWriter(manifest(n, overrides));
  const chunks: Buffer[] = [];
  writer.output.on("data", (chunk: Buffer) => chunks.push(chunk));
  for (const c of categories)
    await writer.category({ updateId: c.updateId, revisionNumber: c.revisionNumber, xml: renderUpdateXml(c) });
  for (let i = 1; i <= n; i++) {
    const r = record(i);
    await writer.update({
      updateId: r.updateId,
      revisionNumber: r.revisionNumber,
      productIds: r.productIds,
      classificationIds: r.classificationIds,
      ...(i === 1
        ? { imported: { reason: "basket" as const, requiredBy: null, title: "Update 1", kbArticleIds: ["5000001"] } }
        : {}),
      xml: renderUpdateXml(r),
    });
  }
  await writer.end();
  return Buffer.concat(chunks);
}

const verify = (bytes: Buffer, options?: VerifyOptions) =>
  verifyPackage(gunzipLines(Readable.from([bytes]), { compressedBytes: () => bytes.length }), options);

async function refusal(bytes: Buffer, options?: VerifyOptions): Promise<PackageError> {
  try {
    await verify(bytes, options);
  } catch (error) {
    if (error instanceof PackageError) return error;
    throw error;
  }
  throw new Error("the package was accepted");
}

/** The package's lines, changed by `edit`, compressed again. */
function edited(bytes: Buffer, edit: (lines: string[]) => string[]): Buffer {
  const lines = gunzipSync(bytes).toString("utf8").split("\n");
  return gzipSync(Buffer.from(edit(lines).join("\n"), "utf8"));
}

describe("update package format", () => {
  it("verifies what the writer writes, counts and checksum included", async () => {
    const bytes = await writePackage(5);
    const verified = await verify(bytes);
    expect(verified.manifest.catalogVersion).toBe(42);
    expect(verified.manifest.counts).toEqual({ categories: 2, updates: 5, imported: 1 });
    expect(verified.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    const lines = gunzipSync(bytes).toString("utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(1 + 2 + 5 + 1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: "manifest", formatVersion: 1 });
    expect(JSON.parse(lines.at(-1)!)).toEqual({
      type: "end",
      counts: { categories: 2, updates: 5, imported: 1 },
      sha256: verified.contentSha256,
    });
  });

  it("refuses a flipped byte as corrupt", async () => {
    const bytes = await writePackage(20);
    const damaged = Buffer.from(bytes);
    damaged[Math.floor(damaged.length / 2)]! ^= 0x55;
    const error = await refusal(damaged);
    expect(["PACKAGE_CORRUPT", "PACKAGE_CHECKSUM_MISMATCH"]).toContain(error.code);
    expect(error.status).toBe(422);
  });

  it("refuses a cut gzip stream, and a package without its end line, as truncated", async () => {
    const bytes = await writePackage(20);
    const cut = await refusal(bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expect(cut.code).toBe("PACKAGE_TRUNCATED");
    expect(cut.message).toMatch(/incomplete/);
    const noEnd = await refusal(edited(bytes, (lines) => lines.slice(0, -2)));
    expect(noEnd.code).toBe("PACKAGE_TRUNCATED");
    expect(noEnd.message).toMatch(/without its end line/);
    expect((await refusal(Buffer.alloc(0))).code).toBe("PACKAGE_TRUNCATED");
  });

  it("refuses a changed line under the old checksum", async () => {
    const bytes = await writePackage(3);
    const tampered = edited(bytes, (lines) =>
      lines.map((line) =>
        line.includes('"type":"manifest"') ? line.replace('"catalogVersion":42', '"catalogVersion":43') : line,
      ),
    );
    const error = await refusal(tampered);
    expect(error.code).toBe("PACKAGE_CHECKSUM_MISMATCH");
    expect(error.message).toMatch(/does not match its checksum/);
  });

  it("refuses a newer format version, and a file that is not a package", async () => {
    const bytes = await writePackage(2);
    const newer = edited(bytes, (lines) => [
      lines[0]!.replace('"formatVersion":1', '"formatVersion":2'),
      ...lines.slice(1),
    ]);
    const error = await refusal(newer);
    expect(error.code).toBe("PACKAGE_FORMAT_UNSUPPORTED");
    expect(error.message).toContain("format version 2; this Syncpoint reads format version 1");
    const csv = await refusal(gzipSync("Title,KB\nAn update,123\n"));
    expect(csv.code).toBe("PACKAGE_FORMAT_UNSUPPORTED");
    expect((await refusal(Buffer.from("not gzip at all"))).code).toBe("PACKAGE_CORRUPT");
  });

  it("refuses a decompression bomb and a line past the limit", async () => {
    // 200 MiB of line feeds compress to about 200 KiB: far more than 200 times.
    // (The reader's own guard: the verifier would refuse these empty lines sooner.)
    const plain = Buffer.alloc(200 * 1024 * 1024, 0x20);
    for (let at = 1024 * 1024 - 1; at < plain.length; at += 1024 * 1024) plain[at] = 10;
    const bomb = gzipSync(plain);
    let read = 0;
    const error = await (async () => {
      for await (const line of gunzipLines(Readable.from([bomb]), { compressedBytes: () => bomb.length }))
        read = line.number;
    })().catch((e: unknown) => e as PackageError);
    expect(error).toBeInstanceOf(PackageError);
    expect(read).toBeGreaterThanOrEqual(64);
    if (!(error instanceof PackageError)) return;
    expect(error.code).toBe("PACKAGE_TOO_LARGE");
    expect(error.message).toMatch(/decompression bomb/);
    expect(error.status).toBe(413);
    const long = await verifyPackage(
      gunzipLines(Readable.from([await writePackage(2)]), { maxLineBytes: 1_000 }),
    ).catch((e: unknown) => e as PackageError);
    expect(long).toBeInstanceOf(PackageError);
    expect((long as PackageError).code).toBe("PACKAGE_CORRUPT");
    expect((long as PackageError).message).toMatch(/Line 2 of the package is longer than/);
  }, 30_000);

  it("refuses lines out of order, twice, or whose document names another update", async () => {
    const bytes = await writePackage(4);
    const swapped = edited(bytes, (lines) => [...lines.slice(0, 3), lines[4]!, lines[3]!, ...lines.slice(5)]);
    expect((await refusal(swapped)).message).toMatch(/out of order or listed twice/);
    const other = record(99);
    const wrongDoc = edited(bytes, (lines) =>
      lines.map((line, i) => {
        if (i !== 3) return line;
        const parsed = JSON.parse(line) as Record<string, unknown>;
        return JSON.stringify({ ...parsed, xml: renderUpdateXml(other) });
      }),
    );
    const error = await refusal(wrongDoc);
    expect(error.code).toBe("PACKAGE_CORRUPT");
    expect(error.message).toMatch(/its document 00000000-0000-4000-8000-000000000063/);
    const hostile = edited(bytes, (lines) =>
      lines.map((line, i) => {
        if (i !== 3) return line;
        const parsed = JSON.parse(line) as Record<string, unknown>;
        return JSON.stringify({ ...parsed, xml: '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>' });
      }),
    );
    expect((await refusal(hostile)).message).toMatch(/was refused as unsafe/);
  });

  it("says which line and field is not valid", async () => {
    const bytes = await writePackage(2);
    const badLine = edited(bytes, (lines) =>
      lines.map((line, i) => (i === 3 ? line.replace(/"revisionNumber":\d+/, '"revisionNumber":-1') : line)),
    );
    const error = await refusal(badLine);
    expect(error.code).toBe("PACKAGE_CORRUPT");
    expect(error.message).toMatch(/^Line 4 of the package \(update\) is not valid: revisionNumber: /);
    const notJson = await refusal(edited(bytes, (lines) => [lines[0]!, "{oops", ...lines.slice(1)]));
    expect(notJson.message).toBe("Line 2 of the package is not valid JSON.");
  });
});
