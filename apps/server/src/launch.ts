// `pnpm start`: everything a fresh machine needs, in one process tree — the console build, the embedded PostgreSQL
// (unless DATABASE_URL), the embedded upstream (unless EMBEDDED_UPSTREAM=0) and the server (`--role all`). It
// prints `Syncpoint ready: <url>` once /api/health is ok, and on Ctrl-C or SIGTERM stops everything it started
// (launcher/stack.ts; `pnpm start:cluster` is launch-cluster.ts).
import { launchStack } from "./launcher/stack.ts";

void launchStack(async ({ startServer }) => {
  const ready = await startServer({ name: "server", role: "all" });
  return {
    url: `http://localhost:${ready.port}`,
    ...(ready.generatedAdminPassword ? { generatedAdminPassword: ready.generatedAdminPassword } : {}),
  };
});
