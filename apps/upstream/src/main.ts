// `pnpm upstream`: the embedded upstream update service alone, on UPSTREAM_PORT (default 8530).
import { createUpstreamApp } from "./app.ts";

const port = Number(process.env.UPSTREAM_PORT ?? 8530);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`UPSTREAM_PORT must be a port number (got "${process.env.UPSTREAM_PORT}")\n`);
  process.exit(1);
}

const server = createUpstreamApp().listen(port, "0.0.0.0", (error?: Error) => {
  if (error) {
    process.stderr.write(`The upstream could not listen on port ${port}: ${error.message}\n`);
    process.exit(1);
  }
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// Started by `pnpm start`: when the launcher's IPC channel closes, the launcher is gone and so are we.
process.on("disconnect", stop);
