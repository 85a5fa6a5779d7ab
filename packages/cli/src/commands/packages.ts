// `syncpoint export <file>` and `syncpoint import <file>`: a disconnected top-level site's catalog travels in update
// packages (docs/UPDATE-PACKAGE.md). Export streams a site's catalog (GET /api/sites/:code/update-package) into a file
// — written beside it first and renamed once complete, so an interrupted export never leaves a file that looks whole.
// Import streams the file to the disconnected site (POST /api/update-packages), which verifies it before anything is
// applied, prints what the verification found, applies it (POST /api/update-packages/:id/apply) and follows the run:
// exit 0 succeeded, 2 failed, 3 canceled, as `sync --wait`.
import { createReadStream, createWriteStream } from "node:fs";
import { rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { createGunzip } from "node:zlib";
import {
  ApplyUpdatePackageResponse,
  PackageManifestLine,
  SiteTree,
  UPDATE_PACKAGE_MEDIA_TYPE,
  UpdatePackageDto,
} from "@syncpoint/contracts";
import { NetworkError } from "../api.ts";
import type { Context } from "../context.ts";
import { CliError, EXIT, Interrupted } from "../io.ts";
import { num } from "../format.ts";
import { followRun } from "./sync.ts";

/** A file named on the command line, relative to where it was typed. */
const resolveFile = (ctx: Context, file: string) => path.resolve(ctx.io.cwd ?? process.cwd(), file);

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 * 1024
    ? `${(bytes / 1024 ** 3).toFixed(1)} GiB`
    : bytes >= 1024 * 1024
      ? `${(bytes / 1024 ** 2).toFixed(1)} MiB`
      : `${num(Math.ceil(bytes / 1024))} KiB`;

/** The manifest (line 1) of a package file, read back from it. */
async function readManifest(file: string): Promise<PackageManifestLine | undefined> {
  const gunzip = createReadStream(file).pipe(createGunzip());
  let text = "";
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      text += chunk.toString("utf8");
      const end = text.indexOf("\n");
      if (end !== -1) {
        text = text.slice(0, end);
        break;
      }
      if (text.length > 1024 * 1024) return undefined;
    }
  } finally {
    gunzip.destroy();
  }
  try {
    const parsed = PackageManifestLine.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function topLevelSite(ctx: Context): Promise<string> {
  const tree = await ctx.api.get("/sites", SiteTree);
  const root = tree.items.find((site) => site.parentCode === null) ?? tree.items[0];
  if (!root) throw new CliError("There is no top-level site to export from.");
  return root.code;
}

export async function exportCommand(ctx: Context, file: string, options: { site?: string }): Promise<number> {
  const target = resolveFile(ctx, file);
  const siteCode = (options.site ?? (await topLevelSite(ctx))).toUpperCase();
  const partial = `${target}.partial`;
  const response = await ctx.api.download(`/sites/${encodeURIComponent(siteCode)}/update-package`);
  if (!response.body) throw new CliError(`The export of ${siteCode} answered without a package.`);
  let bytes = 0;
  try {
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    body.on("data", (chunk: Buffer) => (bytes += chunk.length));
    await pipeline(body, createWriteStream(partial));
    await rename(partial, target);
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    if (ctx.io.interrupt.aborted) throw new Interrupted();
    if (error instanceof CliError) throw error;
    throw new NetworkError(
      `The export of ${siteCode} was cut off after ${sizeText(bytes)} (${(error as Error).message}); nothing was written to ${file}.`,
    );
  }
  const manifest = await readManifest(target);
  const summary = {
    file: target,
    siteCode,
    bytes,
    catalogVersion: manifest?.catalogVersion ?? Number(response.headers.get("x-syncpoint-catalog-version")),
    counts: manifest?.counts,
    createdAt: manifest?.createdAt,
  };
  if (ctx.json) ctx.printJson(summary);
  else {
    const counts = manifest
      ? ` (${num(manifest.counts.categories)} categories, ${num(manifest.counts.updates)} updates${manifest.counts.imported > 0 ? `, ${num(manifest.counts.imported)} imported` : ""})`
      : "";
    ctx.out(
      `Exported ${siteCode}'s catalog, version ${summary.catalogVersion}${counts}, to ${file} (${sizeText(bytes)}).\n` +
        `Import it on the disconnected site: syncpoint import ${file}\n`,
    );
  }
  return EXIT.ok;
}

export interface ImportOptions {
  /** `--no-apply`: upload and verify only. */
  apply: boolean;
  /** `--no-wait`: apply, then print the run without following it. */
  wait: boolean;
}

function verifiedText(pkg: UpdatePackageDto): string {
  const m = pkg.manifest;
  const titles = (refs: { title: string }[]) => (refs.length > 0 ? refs.map((r) => r.title).join(", ") : "none");
  return [
    `Verified ${pkg.fileName} (${sizeText(pkg.sizeBytes)}): catalog version ${m.catalogVersion} of ${m.source.siteCode} (${m.source.serverName}), exported ${m.createdAt}`,
    `  ${num(m.counts.categories)} categories, ${num(m.counts.updates)} updates${m.counts.imported > 0 ? ` (${num(m.counts.imported)} imported)` : ""}`,
    `  products: ${titles(m.filter.products)}`,
    `  classifications: ${titles(m.filter.classifications)}`,
    `  languages: ${m.languages.length > 0 ? m.languages.join(", ") : "all"}`,
    `  package id: ${pkg.id}`,
  ].join("\n");
}

export async function importCommand(ctx: Context, file: string, options: ImportOptions): Promise<number> {
  const source = resolveFile(ctx, file);
  const info = await stat(source).catch(() => undefined);
  if (!info?.isFile()) throw new CliError(`${file} is not a file.`);
  const body = Readable.toWeb(createReadStream(source)) as ReadableStream<Uint8Array>;
  const pkg = await ctx.api.upload(
    "/update-packages",
    UpdatePackageDto,
    { body, contentType: UPDATE_PACKAGE_MEDIA_TYPE, length: info.size },
    { fileName: path.basename(source) },
  );
  if (!options.apply) {
    if (ctx.json) ctx.printJson(pkg);
    else ctx.out(`${verifiedText(pkg)}\nApply it with: syncpoint import ${file} (or in the console)\n`);
    return EXIT.ok;
  }
  if (ctx.json) ctx.printJsonLine(pkg);
  else ctx.out(`${verifiedText(pkg)}\n`);
  const { runId } = await ctx.api.post(
    `/update-packages/${encodeURIComponent(pkg.id)}/apply`,
    ApplyUpdatePackageResponse,
  );
  if (!options.wait) {
    if (ctx.json) ctx.printJsonLine({ runId });
    else ctx.out(`Applying the package: run ${runId}\nFollow it with: syncpoint log ${runId} --follow\n`);
    return EXIT.ok;
  }
  if (!ctx.json) ctx.out(`Applying the package: run ${runId}\n`);
  return followRun(ctx, runId);
}
