// DATA_DIR/syncpoint-data.json records which Syncpoint last ran on a data directory. An older build started on data
// a newer one wrote (after a downgrade, or a backup restored into the wrong installation) would fail in confusing
// ways — PostgreSQL refusing a newer data layout, or a schema it does not know — so it stops first, saying why.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readMigrations } from "@syncpoint/db";

export const DATA_DIR_FILE = "syncpoint-data.json";

/**
 * The layout of DATA_DIR (embedded PostgreSQL major version under pg/, secret.key, upstream/). Raise it whenever an
 * older build could no longer use a directory this build has written.
 */
export const DATA_DIR_FORMAT_VERSION = 1;

export interface DataDirStamp {
  formatVersion: number;
  appVersion: string;
  lastMigration: string | null;
}

export interface Build {
  formatVersion: number;
  /** The names of the migrations this build ships. */
  migrations: readonly string[];
}

export type DataDirVerdict = { ok: true; stamp: DataDirStamp | undefined } | { ok: false; reason: string };

/** Whether this build may start on `dataDir`. A directory without a stamp (new, or from before stamps) is fine. */
export function checkDataDir(dataDir: string, build: Build): DataDirVerdict {
  const file = path.join(dataDir, DATA_DIR_FILE);
  if (!existsSync(file)) return { ok: true, stamp: undefined };
  let stamp: DataDirStamp;
  try {
    stamp = parseStamp(JSON.parse(readFileSync(file, "utf8")));
  } catch (error) {
    return {
      ok: false,
      reason: `${file} cannot be read (${(error as Error).message}). Restore it from a backup, or delete it if you are sure the data directory was written by this version of Syncpoint.`,
    };
  }
  const unknownMigration = stamp.lastMigration !== null && !build.migrations.includes(stamp.lastMigration);
  if (unknownMigration || stamp.formatVersion > build.formatVersion) {
    const what = unknownMigration
      ? `its database has migration ${stamp.lastMigration}, which this build does not ship`
      : `data format ${stamp.formatVersion}; this build reads up to ${build.formatVersion}`;
    return {
      ok: false,
      reason: `This data directory was written by a newer Syncpoint (${stamp.appVersion}: ${what}); start that version or restore a backup. Data directory: ${dataDir}`,
    };
  }
  return { ok: true, stamp };
}

function parseStamp(value: unknown): DataDirStamp {
  const v = value as Partial<DataDirStamp> | null;
  if (
    typeof v !== "object" ||
    v === null ||
    !Number.isInteger(v.formatVersion) ||
    typeof v.appVersion !== "string" ||
    !(v.lastMigration === null || typeof v.lastMigration === "string")
  ) {
    throw new Error("expected { formatVersion, appVersion, lastMigration }");
  }
  return { formatVersion: v.formatVersion!, appVersion: v.appVersion, lastMigration: v.lastMigration ?? null };
}

/** Writes the stamp through a temporary file, so a crash mid-write never leaves a stamp that blocks the next start. */
export function writeStamp(dataDir: string, stamp: DataDirStamp): void {
  const file = path.join(dataDir, DATA_DIR_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(temporary, `${JSON.stringify(stamp, null, 2)}\n`);
  renameSync(temporary, file);
}

export function appVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

async function thisBuild(): Promise<Build> {
  return { formatVersion: DATA_DIR_FORMAT_VERSION, migrations: (await readMigrations()).map((m) => m.name) };
}

/** Before anything touches DATA_DIR (the embedded PostgreSQL above all): throws when a newer Syncpoint wrote it. */
export async function assertDataDirUsable(dataDir: string): Promise<void> {
  const verdict = checkDataDir(dataDir, await thisBuild());
  if (!verdict.ok) throw new Error(verdict.reason);
}

/** Once every migration of this build is applied: records this build as the directory's last writer. */
export async function stampDataDir(dataDir: string): Promise<void> {
  const { migrations } = await thisBuild();
  writeStamp(dataDir, {
    formatVersion: DATA_DIR_FORMAT_VERSION,
    appVersion: appVersion(),
    lastMigration: migrations.at(-1) ?? null,
  });
}
