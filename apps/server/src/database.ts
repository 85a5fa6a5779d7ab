import path from "node:path";
import { connectionUrl, EmbeddedPostgres, embeddedServerSettings, ensureDatabaseExists } from "@syncpoint/db";
import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";

export const APP_DATABASE = "syncpoint";

export interface OpenDatabase {
  url: string;
  /** The embedded server, when we started one; stopped by `close`. */
  embedded?: EmbeddedPostgres;
  close(): Promise<void>;
}

/** `DATABASE_URL` when set; otherwise a real PostgreSQL embedded under `DATA_DIR/pg`, started here. */
export async function openDatabase(config: Config, logger: Logger): Promise<OpenDatabase> {
  if (config.DATABASE_URL) {
    await ensureDatabaseExists(config.DATABASE_URL);
    return { url: config.DATABASE_URL, close: async () => undefined };
  }
  const embedded = new EmbeddedPostgres({
    dataDir: path.join(config.dataDir, "pg"),
    port: config.EMBEDDED_PG_PORT,
    settings: embeddedServerSettings(),
    onLog: (line) => logger.debug({ component: "postgres" }, line),
  });
  try {
    await embedded.start();
  } catch (error) {
    throw new Error(
      `Could not start the embedded PostgreSQL on port ${config.EMBEDDED_PG_PORT} with data in ${path.join(config.dataDir, "pg")}: ${(error as Error).message}\n` +
        "If another Syncpoint is running on this DATA_DIR, stop it first; if the port is taken, set EMBEDDED_PG_PORT.",
      { cause: error },
    );
  }
  const url = connectionUrl(embedded.connection, APP_DATABASE);
  await ensureDatabaseExists(url);
  return { url, embedded, close: () => embedded.stop() };
}
