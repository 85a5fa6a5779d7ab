// The real `syncpoint` CLI as a child process (`node --import tsx packages/cli/src/main.ts …`), for the tests that
// drive it: its exit code and output, with only the SYNCPOINT_* settings the test gives.
import { spawn } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "../src/config.ts";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const SETTINGS = ["SYNCPOINT_URL", "SYNCPOINT_TOKEN", "SYNCPOINT_USER", "SYNCPOINT_PASSWORD"];

/** Runs the CLI with `env` (a key set to undefined is left out); killed and rejected after `timeoutMs`. */
export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 30_000,
): Promise<CliResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of SETTINGS) delete childEnv[key];
  Object.assign(childEnv, env);
  for (const [key, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, ["--import", "tsx", path.join("packages", "cli", "src", "main.ts"), ...args], {
    cwd: REPO_ROOT,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`syncpoint ${args.join(" ")} did not end within ${timeoutMs / 1000} s:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
