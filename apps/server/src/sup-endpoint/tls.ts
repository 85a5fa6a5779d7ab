// SSL for the software update point endpoints, as WSUS serves them on port 8531: an HTTPS listener that answers
// only /sup/<SITE>/… (the console and API stay on PORT; put a TLS-terminating proxy in front of those).
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AppContext } from "../context.ts";
import { createApp } from "../app.ts";
import { answerClientErrors } from "../http/client-errors.ts";

export async function listenSupTls(
  ctx: AppContext,
  options: { certFile: string; keyFile: string; port: number; host: string },
): Promise<Server> {
  const [cert, key] = await Promise.all([readFile(options.certFile, "utf8"), readFile(options.keyFile, "utf8")]);
  const app = createApp(ctx, [], { serveConsole: false, serveSupEndpoints: true });
  const server = createServer({ cert, key }, app);
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return server;
}
