// Software Update Point Synchronization Status with months of retained runs: each status row reads its SUP's latest
// run and latest finished run by one index probe each, so the page costs the same with 120 retained runs per SUP as
// with none (a 6 276-site hierarchy with 90 runs each took 0.96 s a request when every run was read and sorted).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { supStatusRows, supStatusStatement } from "../src/services/sync-status.ts";
import { startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
const RUNS_PER_SUP = 120;

beforeAll(async () => {
  server = await startTestServer();
  const { prisma } = server.ctx;
  await prisma.syncRun.deleteMany();
  // Hourly runs: every third one failed, the newest among them; a newer one is still queued for the first SUP.
  await prisma.$executeRawUnsafe(`
    INSERT INTO sync_runs (id, site_code, sup_id, trigger, state, queued_at, started_at, finished_at, phase, percent,
                           error_code)
    SELECT gen_random_uuid(), p.site_code, p.id, 'schedule',
           (CASE WHEN g % 3 = 1 THEN 'failed' ELSE 'succeeded' END)::run_state,
           now() - make_interval(hours => g), now() - make_interval(hours => g),
           now() - make_interval(hours => g) + interval '5 minutes', 'commit', 100,
           CASE WHEN g % 3 = 1 THEN 'UPSTREAM_UNREACHABLE' END
    FROM software_update_points p CROSS JOIN generate_series(1, ${RUNS_PER_SUP}) g`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO sync_runs (id, site_code, sup_id, trigger, state, queued_at)
    SELECT gen_random_uuid(), p.site_code, p.id, 'manual', 'queued', now()
    FROM software_update_points p ORDER BY p.site_code LIMIT 1`);
  await prisma.$executeRawUnsafe("ANALYZE sync_runs");
}, 60_000);
afterAll(() => server.close());

/** Every plan node, depth first. */
interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Actual Rows"?: number;
  Plans?: PlanNode[];
}
const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

describe("status rows with retained runs", () => {
  it("shows each SUP's newest run and newest finished run", async () => {
    const rows = await supStatusRows(server.ctx);
    const sups = await server.ctx.prisma.softwareUpdatePoint.findMany({ orderBy: { siteCode: "asc" } });
    expect(rows.map((r) => r.siteCode)).toEqual(sups.map((s) => s.siteCode));
    for (const [i, row] of rows.entries()) {
      const newestFinished = await server.ctx.prisma.syncRun.findFirstOrThrow({
        where: { supId: sups[i]!.id, finishedAt: { not: null } },
        orderBy: { finishedAt: "desc" },
      });
      // The newest finished run (an hour ago) failed; while a newer run is queued the row says queued, and still
      // tells when the last sync ended and why.
      expect(row.state, row.siteCode).toBe(i === 0 ? "queued" : "failed");
      expect(row.lastSyncTime).toBe(newestFinished.finishedAt!.toISOString());
      expect(row.lastErrorCode).toBe("UPSTREAM_UNREACHABLE");
    }
  });

  it("reads one run per SUP and lookup, whatever the history", async () => {
    const { text, values } = supStatusStatement();
    const { rows } = await server.ctx.pool.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${text}`,
      values,
    );
    const runScans = nodes(rows[0]!["QUERY PLAN"][0].Plan).filter((n) => n["Relation Name"] === "sync_runs");
    expect(runScans.length).toBeGreaterThanOrEqual(2);
    for (const scan of runScans) {
      // Per loop (one loop per SUP): the newest run, not the SUP's 120.
      expect(scan["Actual Rows"], scan["Node Type"]).toBeLessThanOrEqual(1);
    }
  });
});
