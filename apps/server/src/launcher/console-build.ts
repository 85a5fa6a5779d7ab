// `pnpm start` builds the console only when its sources (or the contracts it imports) changed since the last build.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../config.ts";

const CONSOLE_DIR = path.join(REPO_ROOT, "apps/console");
const SOURCES = [
  path.join(CONSOLE_DIR, "src"),
  path.join(CONSOLE_DIR, "index.html"),
  path.join(CONSOLE_DIR, "vite.config.ts"),
  path.join(CONSOLE_DIR, "package.json"),
  path.join(REPO_ROOT, "packages/contracts/src"),
];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

export function consoleBuildIsStale(dist: string): boolean {
  const built = path.join(dist, "index.html");
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((source) => newestMtime(source) > builtAt);
}

export function buildConsole(): Promise<void> {
  return new Promise((resolve, reject) => {
    const vite = path.join(CONSOLE_DIR, "node_modules/vite/bin/vite.js");
    // Always a production build: an inherited NODE_ENV (vitest sets "test") would give React's development build.
    const child = spawn(process.execPath, [vite, "build", "--logLevel", "warn"], {
      cwd: CONSOLE_DIR,
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production" },
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`the console build failed (exit ${code})`)),
    );
  });
}
