// @vitest-environment node
// The console's initial JavaScript — the entry chunk and every chunk it imports statically, what a first visit must
// download before anything shows — stays within 300 KB gzipped. A production build (about 2 s) into a temporary
// directory with a manifest; the lazily loaded workspaces and pages do not count.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";

const BUDGET_BYTES = 300 * 1024;
const consoleDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** The files of the entry chunk and of everything it reaches through static imports. */
export function initialFiles(manifest: Manifest): string[] {
  const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  for (const [key] of entries) visit(key);
  return [...seen].map((key) => manifest[key]!.file).filter((file) => file.endsWith(".js"));
}

const outDir = mkdtempSync(path.join(tmpdir(), "syncpoint-console-budget-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("the console's bundle", () => {
  it("picks the entry and its static imports, not the dynamic ones", () => {
    expect(
      initialFiles({
        "index.html": { file: "assets/index.js", isEntry: true, imports: ["_react.js"], dynamicImports: ["lazy.tsx"] },
        "_react.js": { file: "assets/react.js", imports: ["_shared.js"] },
        "_shared.js": { file: "assets/shared.js", imports: ["_react.js"] },
        "lazy.tsx": { file: "assets/lazy.js", imports: ["_react.js"] },
      }).sort(),
    ).toEqual(["assets/index.js", "assets/react.js", "assets/shared.js"]);
  });

  it("loads at most 300 KB of gzipped JavaScript before the first page shows", () => {
    const vite = path.join(consoleDir, "node_modules/vite/bin/vite.js");
    const build = spawnSync(
      process.execPath,
      [vite, "build", "--outDir", outDir, "--emptyOutDir", "--manifest", "--logLevel", "warn"],
      // A production build, as `pnpm start` makes it: vitest's NODE_ENV=test would give React's development build.
      { cwd: consoleDir, env: { ...process.env, NODE_ENV: "production" }, encoding: "utf8", timeout: 60_000 },
    );
    expect(build.status, build.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(outDir, ".vite/manifest.json"), "utf8")) as Manifest;
    const files = initialFiles(manifest);
    expect(files.length).toBeGreaterThan(0);
    const sizes = files.map((file) => ({ file, gzip: gzipSync(readFileSync(path.join(outDir, file))).length }));
    const total = sizes.reduce((sum, { gzip }) => sum + gzip, 0);
    const report = sizes.map(({ file, gzip }) => `${file}: ${(gzip / 1024).toFixed(1)} KB`).join(", ");
    expect(total, `initial JavaScript ${(total / 1024).toFixed(1)} KB gzipped (${report})`).toBeLessThanOrEqual(
      BUDGET_BYTES,
    );
  }, 90_000);
});
