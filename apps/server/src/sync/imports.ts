// Import Updates, the worker's half: what a top-level run imports (the basket updates still pending) and follows
// (imported updates outside the selection, whose later revisions it lists apart), and the import run queued when a
// basket arrived while another synchronization was already past its revision list.
import type { SyncPlan } from "@syncpoint/sync";
import type { AppContext } from "../context.ts";
import { queueRun } from "./queue-run.ts";

/** Takes the pending basket updates for this run and lists the imported updates it must follow. */
export async function importPlan(
  ctx: AppContext,
  runId: string,
  selection: { products: string[]; classifications: string[] },
): Promise<NonNullable<SyncPlan["imports"]>> {
  const pending = await ctx.prisma.$queryRaw<{ update_id: string; revision_number: number }[]>`
    UPDATE imported_updates SET run_id = ${runId}::uuid
    WHERE state = 'pending'
    RETURNING update_id::text, revision_number`;
  // Imported updates the selection already lists need nothing more; the others are asked for apart.
  const outside = await ctx.prisma.$queryRaw<
    { update_id: string; product_ids: string[]; classification_ids: string[] }[]
  >`
    SELECT i.update_id::text, r.product_ids::text[], r.classification_ids::text[]
    FROM imported_updates i
    JOIN update_revisions r ON r.update_id = i.update_id AND r.revision_number = i.imported_revision
    WHERE i.state = 'imported'
      AND NOT (r.product_ids && ${selection.products}::uuid[] AND r.classification_ids && ${selection.classifications}::uuid[])`;
  return {
    pending: pending.map((p) => ({ updateId: p.update_id, revisionNumber: p.revision_number })),
    followed: {
      updateIds: outside.map((o) => o.update_id),
      products: [...new Set(outside.flatMap((o) => o.product_ids))],
      classifications: [...new Set(outside.flatMap((o) => o.classification_ids))],
    },
  };
}

/**
 * After a top-level run: basket updates that arrived once it had started are still pending — an import run takes
 * them now. Not after an import run that failed (its basket waits for the next synchronization, or a retry), so a
 * broken upstream is not asked again and again.
 */
export async function queuePendingImports(
  ctx: AppContext,
  run: { id: string; siteCode: string; supId: string; trigger: string; state: string },
): Promise<void> {
  if (run.trigger === "import" && run.state !== "succeeded") return;
  const waiting = await ctx.prisma.importedUpdate.findFirst({
    where: { state: "pending", OR: [{ runId: null }, { runId: { not: run.id } }] },
    select: { requestedBy: true },
  });
  if (!waiting) return;
  const sup = await ctx.prisma.softwareUpdatePoint.findUniqueOrThrow({ where: { id: run.supId } });
  await queueRun(ctx, {
    siteCode: run.siteCode,
    supId: run.supId,
    trigger: "import",
    requestedBy: waiting.requestedBy,
    catalogVersionBefore: sup.catalogVersion,
  });
}
