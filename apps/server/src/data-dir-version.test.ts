import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readMigrations } from "@syncpoint/db";
import { afterAll, describe, expect, it } from "vitest";
import {
  appVersion,
  assertDataDirUsable,
  checkDataDir,
  DATA_DIR_FILE,
  DATA_DIR_FORMAT_VERSION,
  stampDataDir,
  writeStamp,
} from "./data-dir-version.ts";

const build = { formatVersion: 2, migrations: ["20260101000000_init", "20260201000000_alerts"] };
const created: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "syncpoint-data-dir-"));
  created.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

function dirWith(stamp: unknown): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, DATA_DIR_FILE), typeof stamp === "string" ? stamp : JSON.stringify(stamp));
  return dir;
}

describe("checkDataDir", () => {
  it("accepts a new directory, or one from before stamps existed", () => {
    expect(checkDataDir(tempDir(), build)).toEqual({ ok: true, stamp: undefined });
    expect(checkDataDir(path.join(tempDir(), "not-created-yet"), build)).toEqual({ ok: true, stamp: undefined });
  });

  it("accepts a directory written by this build or an older one", () => {
    const same = { formatVersion: 2, appVersion: "0.2.0", lastMigration: "20260201000000_alerts" };
    expect(checkDataDir(dirWith(same), build)).toEqual({ ok: true, stamp: same });
    const older = { formatVersion: 1, appVersion: "0.1.0", lastMigration: "20260101000000_init" };
    expect(checkDataDir(dirWith(older), build)).toEqual({ ok: true, stamp: older });
    const unmigrated = { formatVersion: 1, appVersion: "0.1.0", lastMigration: null };
    expect(checkDataDir(dirWith(unmigrated), build)).toEqual({ ok: true, stamp: unmigrated });
  });

  it("refuses a directory whose database has a migration this build does not ship", () => {
    const dir = dirWith({ formatVersion: 2, appVersion: "0.3.0", lastMigration: "20260301000000_reports" });
    expect(checkDataDir(dir, build)).toEqual({
      ok: false,
      reason:
        "This data directory was written by a newer Syncpoint (0.3.0: its database has migration " +
        "20260301000000_reports, which this build does not ship); start that version or restore a backup. " +
        `Data directory: ${dir}`,
    });
  });

  it("refuses a directory in a newer data format", () => {
    const dir = dirWith({ formatVersion: 3, appVersion: "1.0.0", lastMigration: "20260101000000_init" });
    const verdict = checkDataDir(dir, build);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(
      /^This data directory was written by a newer Syncpoint \(1\.0\.0: data format 3; this build reads up to 2\); start that version or restore a backup\./,
    );
  });

  it("refuses a stamp it cannot read rather than guess", () => {
    for (const stamp of ["{ not json", { formatVersion: "1", appVersion: "0.1.0", lastMigration: null }, []]) {
      const verdict = checkDataDir(dirWith(stamp), build);
      expect(verdict.ok).toBe(false);
      expect(!verdict.ok && verdict.reason).toMatch(/syncpoint-data\.json cannot be read \(.+\)\. Restore it/);
    }
  });
});

describe("stamping", () => {
  it("records this build's format, version and last migration, which this build then accepts", async () => {
    const dir = tempDir();
    await stampDataDir(dir);
    const names = (await readMigrations()).map((m) => m.name);
    expect(JSON.parse(readFileSync(path.join(dir, DATA_DIR_FILE), "utf8"))).toEqual({
      formatVersion: DATA_DIR_FORMAT_VERSION,
      appVersion: appVersion(),
      lastMigration: names.at(-1),
    });
    await expect(assertDataDirUsable(dir)).resolves.toBeUndefined();
    expect(readdirSync(dir)).toEqual([DATA_DIR_FILE]); // no temporary file left behind
  });

  it("makes this build refuse to start on data a newer build stamped", async () => {
    const dir = tempDir();
    writeStamp(dir, { formatVersion: DATA_DIR_FORMAT_VERSION, appVersion: "9.9.9", lastMigration: "29990101000000_x" });
    await expect(assertDataDirUsable(dir)).rejects.toThrow(
      /^This data directory was written by a newer Syncpoint \(9\.9\.9: its database has migration 29990101000000_x/,
    );
  });
});
