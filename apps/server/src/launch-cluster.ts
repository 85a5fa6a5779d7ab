// `pnpm start:cluster`: the scaled-out layout on one machine — the embedded PostgreSQL (unless DATABASE_URL), the
// embedded upstream (unless EMBEDDED_UPSTREAM=0), CLUSTER_API_PROCESSES `--role api` and CLUSTER_WORKER_PROCESSES
// `--role worker` processes (2 and 2) on internal loopback ports, and a small reverse proxy on PORT in front of the
// API processes (launcher/proxy.ts). Jobs are shared through pg-boss and socket events fan out through Postgres, so
// any worker may run a sync and every console sees it live whichever API process it reached. Across machines the
// same layout is any HTTP load balancer with WebSocket support, managed PostgreSQL, and the processes (README.md).
import { findFreePort } from "@syncpoint/db";
import { z } from "zod";
import { startHttpProxy, startTcpProxy } from "./launcher/proxy.ts";
import { launchStack, say } from "./launcher/stack.ts";

const Counts = z.object({
  CLUSTER_API_PROCESSES: z.coerce.number().int().min(1).max(16).default(2),
  CLUSTER_WORKER_PROCESSES: z.coerce.number().int().min(1).max(16).default(2),
});

void launchStack(async ({ config, startServer, onStop }) => {
  const counts = Counts.parse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v)));
  // The proxy listens first: its address is where workers reach a parent site's SUP endpoint (any API process).
  const proxy = await startHttpProxy({ port: config.PORT, host: config.HOST });
  onStop(() => proxy.close());
  const supTls =
    config.SUP_TLS_CERT_FILE && config.SUP_TLS_KEY_FILE
      ? await startTcpProxy({ port: config.SUP_TLS_PORT, host: config.HOST })
      : undefined;
  if (supTls) onStop(() => supTls.close());
  const loopback = ["0.0.0.0", "::", "127.0.0.1", "localhost"].includes(config.HOST);
  const internalApiUrl = config.INTERNAL_API_URL ?? `http://${loopback ? "127.0.0.1" : config.HOST}:${proxy.port}`;

  const apis = await Promise.all(
    Array.from({ length: counts.CLUSTER_API_PROCESSES }, async () => ({
      port: await findFreePort(),
      supTlsPort: supTls ? await findFreePort() : undefined,
    })),
  );
  const workerPorts = await Promise.all(Array.from({ length: counts.CLUSTER_WORKER_PROCESSES }, () => findFreePort()));
  const shared = { HOST: "127.0.0.1", INTERNAL_API_URL: internalApiUrl };
  const ready = await Promise.all([
    ...apis.map((api, i) =>
      startServer({
        name: `api-${i + 1}`,
        role: "api",
        env: {
          ...shared,
          PORT: String(api.port),
          ...(api.supTlsPort ? { SUP_TLS_PORT: String(api.supTlsPort) } : {}),
        },
      }),
    ),
    ...workerPorts.map((port, i) =>
      startServer({ name: `worker-${i + 1}`, role: "worker", env: { ...shared, PORT: String(port) } }),
    ),
  ]);
  proxy.setTargets(apis.map((a) => a.port));
  supTls?.setTargets(apis.map((a) => a.supTlsPort!));
  say(
    `${apis.length} API processes (ports ${apis.map((a) => a.port).join(", ")}) behind the proxy on port ${proxy.port}, ` +
      `${workerPorts.length} worker processes (ports ${workerPorts.join(", ")}).`,
  );
  // Every process seeds under one lock: whichever created the admin account reports its generated password.
  const generated = ready.find((r) => r.generatedAdminPassword)?.generatedAdminPassword;
  return { url: `http://localhost:${proxy.port}`, ...(generated ? { generatedAdminPassword: generated } : {}) };
});
