// `pnpm upstream`: the embedded upstream update service alone, on UPSTREAM_PORT (default 8530).
import path from "node:path";
import { createUpstreamApp } from "./app.ts";
import { seededRandom } from "./catalog/random.ts";
import { CatalogStore } from "./catalog/store.ts";
import { FaultInjector } from "./faults.ts";
import { loadUpstreamConfig } from "./config.ts";

let config;
try {
  config = loadUpstreamConfig();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
const started = Date.now();
// The state persists in DATA_DIR so that a restart never moves the catalog behind the sites that synced from it.
const store = new CatalogStore({
  seed: config.UPSTREAM_SEED,
  updates: config.UPSTREAM_UPDATES,
  statePath: path.join(config.dataDir, "upstream", "state.json"),
});
if (config.UPSTREAM_PRERENDER === "1") store.prerender();
// Seeded, so that a test injecting faults at a rate sees the same sequence on every run.
const faults = new FaultInjector(seededRandom(store.seed + 1));
const app = createUpstreamApp({
  store,
  faults,
  adminToken: config.UPSTREAM_ADMIN_TOKEN,
  cookieSecret: config.UPSTREAM_COOKIE_SECRET,
});

const server = app.listen(config.UPSTREAM_PORT, "0.0.0.0", (error?: Error) => {
  if (error) {
    process.stderr.write(`The upstream could not listen on port ${config.UPSTREAM_PORT}: ${error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `${JSON.stringify({ level: 30, time: Date.now(), msg: "upstream listening", port: config.UPSTREAM_PORT, updates: store.stats().total, period: store.currentPeriod, generatedInMs: Date.now() - started })}\n`,
  );
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// Started by `pnpm start`: when the launcher's IPC channel closes, the launcher is gone and so are we.
process.on("disconnect", stop);
