// vitest globalSetup of the integration project: one embedded PostgreSQL for the whole run.
import { startTestPostgres, TEST_SERVER_URL_ENV, type TestPostgres } from "./index.ts";

let server: TestPostgres | undefined;

export async function setup(): Promise<void> {
  server = await startTestPostgres();
  process.env[TEST_SERVER_URL_ENV] = server.serverUrl;
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
