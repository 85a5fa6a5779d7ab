// The update package format (docs/UPDATE-PACKAGE.md): gzip of NDJSON — a manifest, the category lines, the update
// lines, an end line with the counts and the sha256 of every line before it. The writer streams (the checksum is a
// trailer, so one pass over the catalog writes a package); the reader splits the gunzipped bytes into lines under a
// length limit and a decompression-bomb limit; the verifier checks every line — its schema, its order, its update
// document through the hardened update-XML parser — and the end line, before anything is applied.
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { createGzip, createGunzip, type Gzip } from "node:zlib";
import {
  PackageLine,
  UPDATE_PACKAGE_FORMAT,
  UPDATE_PACKAGE_FORMAT_VERSION,
  UPDATE_PACKAGE_MAX_EXPANSION,
  UPDATE_PACKAGE_MAX_LINE_BYTES,
  type ErrorCode,
  type PackageCategoryLine,
  type PackageCounts,
  type PackageManifestLine,
  type PackageEndLine,
  type PackageUpdateLine,
} from "@syncpoint/contracts";
import { decodeUtf8, parseUpdateXml, Utf8Error, UpdateXmlError, type UpdateRecord } from "@syncpoint/wsusss";

export type PackageErrorCode = Extract<
  ErrorCode,
  | "PACKAGE_TOO_LARGE"
  | "PACKAGE_TRUNCATED"
  | "PACKAGE_CORRUPT"
  | "PACKAGE_CHECKSUM_MISMATCH"
  | "PACKAGE_FORMAT_UNSUPPORTED"
>;

/** Why a package was refused, in words an administrator can act on; `status` is the HTTP answer to an upload. */
export class PackageError extends Error {
  override name = "PackageError";
  constructor(
    readonly code: PackageErrorCode,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return this.code === "PACKAGE_TOO_LARGE" ? 413 : 422;
  }
}

const MiB = 1024 * 1024;
/** Slack before the expansion limit applies: a small package of highly repetitive lines may expand a lot. */
const EXPANSION_ALLOWANCE = 64 * MiB;

// ---------------------------------------------------------------- write

/**
 * Writes a package as it is produced: `output` is the gzip stream to pipe to a file or an HTTP answer. Each line waits
 * while `output` is backed up, so memory stays flat however large the catalog. The manifest's counts are checked
 * against the lines written when the package ends.
 */
export class PackageWriter {
  readonly output: Gzip;
  private readonly hash = createHash("sha256");
  private readonly counts: PackageCounts = { categories: 0, updates: 0, imported: 0 };
  private lastCategory = "";
  private lastUpdate = "";
  private started = false;

  constructor(private readonly manifest: PackageManifestLine) {
    this.output = createGzip();
  }

  private async push(line: unknown, hashed: boolean): Promise<void> {
    if (this.output.destroyed || this.output.writableEnded) throw new Error("the package output is closed");
    const bytes = Buffer.from(`${JSON.stringify(line)}\n`, "utf8");
    if (hashed) this.hash.update(bytes);
    if (!this.output.write(bytes)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.output.off("drain", done);
          this.output.off("close", done);
          resolve();
        };
        this.output.on("drain", done);
        this.output.on("close", done);
      });
    }
  }

  private async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.push(this.manifest, true);
  }

  async category(line: Omit<PackageCategoryLine, "type">): Promise<void> {
    await this.start();
    if (this.counts.updates > 0) throw new Error("categories come before the updates");
    if (line.updateId <= this.lastCategory) throw new Error(`category ${line.updateId} is out of order`);
    this.lastCategory = line.updateId;
    this.counts.categories++;
    await this.push({ type: "category", ...line } satisfies PackageCategoryLine, true);
  }

  async update(line: Omit<PackageUpdateLine, "type">): Promise<void> {
    await this.start();
    if (line.updateId <= this.lastUpdate) throw new Error(`update ${line.updateId} is out of order`);
    this.lastUpdate = line.updateId;
    this.counts.updates++;
    if (line.imported) this.counts.imported++;
    // `xml` last: a reader sees the identity and the filter fields first.
    const { xml, ...rest } = line;
    await this.push({ type: "update", ...rest, xml } satisfies PackageUpdateLine, true);
  }

  /** Writes the end line and ends the gzip stream; resolves once everything is compressed. */
  async end(): Promise<{ counts: PackageCounts; sha256: string }> {
    await this.start();
    const expected = this.manifest.counts;
    if (
      expected.categories !== this.counts.categories ||
      expected.updates !== this.counts.updates ||
      expected.imported !== this.counts.imported
    ) {
      throw new Error(
        `the manifest counts ${JSON.stringify(expected)} but ${JSON.stringify(this.counts)} lines were written`,
      );
    }
    const sha256 = this.hash.digest("hex");
    await this.push({ type: "end", counts: this.counts, sha256 } satisfies PackageEndLine, false);
    await new Promise<void>((resolve, reject) => {
      this.output.once("error", reject);
      this.output.end(() => resolve());
    });
    return { counts: { ...this.counts }, sha256 };
  }
}

// ---------------------------------------------------------------- read

export interface RawLine {
  /** 1-based. */
  number: number;
  /** The line's bytes without its line feed. */
  bytes: Buffer;
  /** Whether a line feed ended it (every line does but perhaps the last). */
  terminated: boolean;
}

export interface ReadOptions {
  maxLineBytes?: number;
  /** The compressed bytes read so far: the uncompressed ones may outgrow them UPDATE_PACKAGE_MAX_EXPANSION times. */
  compressedBytes?: () => number;
}

/** What zlib and a broken stream throw, as the package's failure. */
export function toPackageError(error: unknown): unknown {
  if (error instanceof PackageError) return error;
  const e = error as { code?: string; message?: string };
  if (e?.code === "Z_BUF_ERROR") {
    return new PackageError(
      "PACKAGE_TRUNCATED",
      "The package ends in the middle of its compressed data: the file is incomplete (an interrupted copy or download).",
    );
  }
  if (typeof e?.code === "string" && e.code.startsWith("Z_")) {
    return new PackageError(
      "PACKAGE_CORRUPT",
      `The package is not valid gzip data or is damaged (${e.message ?? e.code}).`,
    );
  }
  if (e?.code === "ERR_STREAM_PREMATURE_CLOSE" || e?.code === "ECONNRESET" || e?.message === "aborted") {
    return new PackageError("PACKAGE_TRUNCATED", "The upload was interrupted before the package was complete.");
  }
  return error;
}

/**
 * The lines of a gzip-compressed package, as raw bytes. A line longer than the limit, uncompressed data that outgrows
 * the compressed bytes read so far by far (a decompression bomb), and gzip errors end the iteration with a
 * PackageError. Stopping the iteration early destroys both streams.
 */
export async function* gunzipLines(compressed: Readable, options: ReadOptions = {}): AsyncGenerator<RawLine> {
  const maxLineBytes = options.maxLineBytes ?? UPDATE_PACKAGE_MAX_LINE_BYTES;
  const gunzip = createGunzip();
  const forward = (error: Error) => gunzip.destroy(error);
  compressed.once("error", forward);
  compressed.pipe(gunzip);
  let expanded = 0;
  let number = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const tooLong = () =>
    new PackageError(
      "PACKAGE_CORRUPT",
      `Line ${number + 1} of the package is longer than ${Math.round(maxLineBytes / MiB)} MiB: no line of an update package is that long.`,
    );
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      expanded += chunk.length;
      const compressedSoFar = options.compressedBytes?.();
      if (
        compressedSoFar !== undefined &&
        expanded > compressedSoFar * UPDATE_PACKAGE_MAX_EXPANSION + EXPANSION_ALLOWANCE
      ) {
        throw new PackageError(
          "PACKAGE_TOO_LARGE",
          `The package expands to more than ${UPDATE_PACKAGE_MAX_EXPANSION} times its compressed size: it is refused as a decompression bomb.`,
        );
      }
      let start = 0;
      for (;;) {
        const end = chunk.indexOf(10, start);
        if (end === -1) {
          const rest = chunk.length - start;
          if (rest > 0) {
            pendingBytes += rest;
            if (pendingBytes > maxLineBytes) throw tooLong();
            pending.push(chunk.subarray(start));
          }
          break;
        }
        if (pendingBytes + (end - start) > maxLineBytes) throw tooLong();
        const piece = chunk.subarray(start, end);
        const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        pendingBytes = 0;
        yield { number: ++number, bytes, terminated: true };
        start = end + 1;
      }
    }
    if (pendingBytes > 0) yield { number: ++number, bytes: Buffer.concat(pending), terminated: false };
  } catch (error) {
    throw toPackageError(error);
  } finally {
    compressed.off("error", forward);
    compressed.unpipe(gunzip);
    gunzip.destroy();
    if (!compressed.readableEnded) compressed.destroy();
  }
}

const corrupt = (message: string) => new PackageError("PACKAGE_CORRUPT", message);

/** One line as JSON, checked against its schema; the first line must be a manifest of a format version we read. */
export function parseLine(raw: RawLine): PackageLine {
  let text: string;
  try {
    text = decodeUtf8(raw.bytes);
  } catch (error) {
    const at = error instanceof Utf8Error ? ` (at byte ${error.offset})` : "";
    throw corrupt(`Line ${raw.number} of the package is not valid UTF-8${at}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (raw.number === 1) throw notAPackage();
    throw corrupt(`Line ${raw.number} of the package is not valid JSON.`);
  }
  if (raw.number === 1) assertManifestHeader(value);
  const parsed = PackageLine.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const type = typeof (value as { type?: unknown })?.type === "string" ? (value as { type: string }).type : "?";
    const where = issue?.path.length ? `${issue.path.map(String).join(".")}: ` : "";
    throw corrupt(`Line ${raw.number} of the package (${type.slice(0, 20)}) is not valid: ${where}${issue?.message}.`);
  }
  return parsed.data;
}

const notAPackage = () =>
  new PackageError(
    "PACKAGE_FORMAT_UNSUPPORTED",
    `This file is not a Syncpoint update package: its first line is not a manifest of the format "${UPDATE_PACKAGE_FORMAT}".`,
  );

function assertManifestHeader(value: unknown): void {
  const header = value as { type?: unknown; format?: unknown; formatVersion?: unknown } | null;
  if (typeof header !== "object" || header === null || header.type !== "manifest") throw notAPackage();
  if (header.format !== UPDATE_PACKAGE_FORMAT) throw notAPackage();
  const version = header.formatVersion;
  if (version === UPDATE_PACKAGE_FORMAT_VERSION) return;
  if (typeof version === "number" && Number.isInteger(version) && version > UPDATE_PACKAGE_FORMAT_VERSION) {
    throw new PackageError(
      "PACKAGE_FORMAT_UNSUPPORTED",
      `The package has format version ${version}; this Syncpoint reads format version ${UPDATE_PACKAGE_FORMAT_VERSION}. Update Syncpoint on this site, or export the package from a Syncpoint of the same version.`,
    );
  }
  throw new PackageError(
    "PACKAGE_FORMAT_UNSUPPORTED",
    `The package's format version (${JSON.stringify(version)?.slice(0, 20)}) is not one Syncpoint writes; this Syncpoint reads format version ${UPDATE_PACKAGE_FORMAT_VERSION}.`,
  );
}

// ---------------------------------------------------------------- verify

export interface VerifiedPackage {
  manifest: PackageManifestLine;
  /** The sha256 of the lines before the end line (the end line's, recomputed). */
  contentSha256: string;
  /** The titles of the categories asked for in `titlesOf` that the package holds (from their documents). */
  titles: Map<string, string>;
}

export interface VerifyOptions {
  /** Parse each update document with the hardened parser and compare it with its line (default true). */
  checkDocuments?: boolean;
  /** Called for each update line once checked (the upload counts progress with it). */
  onUpdate?: (line: PackageUpdateLine) => void;
  /** Category ids (lower-case) whose titles to collect from their documents. */
  titlesOf?: ReadonlySet<string>;
}

const sameIds = (a: readonly string[], b: readonly string[]) => {
  const left = new Set(a.map((x) => x.toLowerCase()));
  const right = new Set(b.map((x) => x.toLowerCase()));
  return left.size === right.size && [...left].every((x) => right.has(x));
};

/**
 * Checks a whole package line by line: the manifest first, categories then updates each in ascending id order, every
 * document readable by the hardened parser and naming the identity (and filter fields) of its line, the end line's
 * counts and checksum, nothing after it. Throws the PackageError of the first problem.
 */
export async function verifyPackage(
  lines: AsyncIterable<RawLine>,
  options: VerifyOptions = {},
): Promise<VerifiedPackage> {
  const checkDocuments = options.checkDocuments ?? true;
  const hash = createHash("sha256");
  const titles = new Map<string, string>();
  const counts: PackageCounts = { categories: 0, updates: 0, imported: 0 };
  let manifest: PackageManifestLine | undefined;
  let end: { line: PackageEndLine; number: number } | undefined;
  let lastCategory = "";
  let lastUpdate = "";
  let lastNumber = 0;
  for await (const raw of lines) {
    lastNumber = raw.number;
    if (end) throw corrupt(`Line ${raw.number} of the package follows its end line.`);
    const line = parseLine(raw);
    const at = `Line ${raw.number} of the package`;
    switch (line.type) {
      case "manifest":
        if (raw.number !== 1) throw corrupt(`${at} is a second manifest.`);
        manifest = line;
        break;
      case "category": {
        if (counts.updates > 0) throw corrupt(`${at} is a category after the updates; categories come first.`);
        if (line.updateId <= lastCategory)
          throw corrupt(`${at}: category ${line.updateId} is out of order or listed twice (ids ascend).`);
        lastCategory = line.updateId;
        if (++counts.categories > manifest!.counts.categories)
          throw corrupt(`${at}: more categories than the manifest's ${manifest!.counts.categories}.`);
        if (checkDocuments || options.titlesOf?.has(line.updateId)) {
          const record = checkDocument(at, line, true);
          const title = record.localized.find((l) => l.language === "en")?.title ?? record.localized[0]?.title;
          if (title && options.titlesOf?.has(line.updateId)) titles.set(line.updateId, title);
        }
        break;
      }
      case "update": {
        if (line.updateId <= lastUpdate)
          throw corrupt(`${at}: update ${line.updateId} is out of order or listed twice (ids ascend).`);
        lastUpdate = line.updateId;
        if (++counts.updates > manifest!.counts.updates)
          throw corrupt(`${at}: more updates than the manifest's ${manifest!.counts.updates}.`);
        if (line.imported) counts.imported++;
        if (checkDocuments) checkDocument(at, line, false);
        options.onUpdate?.(line);
        break;
      }
      case "end":
        end = { line, number: raw.number };
        continue; // not part of the checksum
    }
    hash.update(raw.bytes);
    hash.update("\n");
  }
  if (!manifest) throw new PackageError("PACKAGE_TRUNCATED", "The package is empty.");
  if (!end) {
    throw new PackageError(
      "PACKAGE_TRUNCATED",
      `The package ends after line ${lastNumber} without its end line: the file is incomplete (an interrupted copy or download).`,
    );
  }
  const expected = manifest.counts;
  for (const [name, label] of [
    ["categories", "categories"],
    ["updates", "updates"],
    ["imported", "imported updates"],
  ] as const) {
    if (counts[name] !== expected[name] || end.line.counts[name] !== expected[name]) {
      throw corrupt(
        `The package's manifest counts ${expected[name]} ${label}, its end line ${end.line.counts[name]}, and it holds ${counts[name]}.`,
      );
    }
  }
  const contentSha256 = hash.digest("hex");
  if (contentSha256 !== end.line.sha256) {
    throw new PackageError(
      "PACKAGE_CHECKSUM_MISMATCH",
      `The package's content does not match its checksum: its end line says sha256 ${end.line.sha256}, its lines hash to ${contentSha256}. The file was changed or damaged after it was exported.`,
    );
  }
  return { manifest, contentSha256, titles };
}

function checkDocument(at: string, line: PackageCategoryLine | PackageUpdateLine, category: boolean): UpdateRecord {
  let record: UpdateRecord;
  try {
    record = parseUpdateXml(line.xml);
  } catch (error) {
    const why = error instanceof UpdateXmlError && error.unsafe ? "was refused as unsafe" : "could not be read";
    throw corrupt(
      `${at}: the document of ${line.updateId} revision ${line.revisionNumber} ${why} (${(error as Error).message}).`,
    );
  }
  if (record.updateId.toLowerCase() !== line.updateId || record.revisionNumber !== line.revisionNumber) {
    throw corrupt(
      `${at}: the line names ${line.updateId} revision ${line.revisionNumber}, its document ${record.updateId} revision ${record.revisionNumber}.`,
    );
  }
  if ((record.updateType === "Category") !== category) {
    throw corrupt(`${at}: ${line.updateId} is ${category ? "not a category" : "a category, not an update"}.`);
  }
  if (
    !category &&
    (!sameIds(record.productIds, (line as PackageUpdateLine).productIds) ||
      !sameIds(record.classificationIds, (line as PackageUpdateLine).classificationIds))
  ) {
    throw corrupt(`${at}: the products or classifications of ${line.updateId} differ from its document's.`);
  }
  return record;
}
