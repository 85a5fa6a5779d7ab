import path from "node:path";
import { z } from "zod";

const Env = z.object({
  UPSTREAM_PORT: z.coerce.number().int().min(0).max(65535).default(8530),
  UPSTREAM_SEED: z.coerce.number().int().min(0).default(1),
  UPSTREAM_UPDATES: z.coerce.number().int().min(0).max(1_000_000).default(25_000),
  /** When unset, the admin API answers loopback callers only. */
  UPSTREAM_ADMIN_TOKEN: z.string().min(16).optional(),
  /** Signs the protocol cookies; generated per start when unset (cookies then do not survive a restart). */
  UPSTREAM_COOKIE_SECRET: z.string().min(16).optional(),
  DATA_DIR: z.string().default(".data"),
  /** Render every update document at start (for benchmarks: time the downstream, not the rendering). */
  UPSTREAM_PRERENDER: z.enum(["0", "1"]).default("0"),
});

export type UpstreamConfig = z.infer<typeof Env> & { dataDir: string };

export function loadUpstreamConfig(env: NodeJS.ProcessEnv = process.env): UpstreamConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = Env.safeParse(present);
  if (!parsed.success) {
    throw new Error(
      `Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return { ...parsed.data, dataDir: path.resolve(process.env.INIT_CWD ?? process.cwd(), parsed.data.DATA_DIR) };
}
