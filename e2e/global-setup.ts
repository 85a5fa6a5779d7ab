import { mkdir } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT, startStack } from "./stack.ts";

/** Starts the stack once for all specs; the returned function is Playwright's teardown. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  await mkdir(path.join(REPO_ROOT, "e2e/artifacts"), { recursive: true });
  const stack = await startStack();
  // Workers start after global setup and inherit these.
  process.env.SYNCPOINT_E2E_BASE_URL = stack.baseURL;
  process.env.SYNCPOINT_E2E_GENERATED_PASSWORD = stack.generatedPassword;
  process.env.SYNCPOINT_E2E_UPSTREAM_URL = stack.upstreamURL;
  return () => stack.stop();
}
