import { STATUS_MESSAGES, type StatusMessageDto, type StatusMessagePage } from "@syncpoint/contracts";
import type { z } from "zod";
import type { StatusMessagesQuery } from "@syncpoint/contracts";
import type { AppContext } from "../context.ts";

export async function listStatusMessages(
  ctx: AppContext,
  query: z.infer<typeof StatusMessagesQuery>,
): Promise<StatusMessagePage> {
  const where = {
    ...(query.site ? { siteCode: query.site.toUpperCase() } : {}),
    ...(query.runId ? { runId: query.runId } : {}),
  };
  const [total, rows] = await ctx.prisma.$transaction([
    ctx.prisma.statusMessage.count({ where }),
    ctx.prisma.statusMessage.findMany({
      where,
      orderBy: [{ time: query.sort === "time" ? "asc" : "desc" }, { id: query.sort === "time" ? "asc" : "desc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  const items: StatusMessageDto[] = rows.map((m) => ({
    id: m.id.toString(),
    siteCode: m.siteCode,
    runId: m.runId,
    messageId: m.messageId,
    severity: m.severity as StatusMessageDto["severity"],
    component: m.component,
    time: m.time.toISOString(),
    insertionStrings: m.insertionStrings,
    text: STATUS_MESSAGES[m.messageId as keyof typeof STATUS_MESSAGES]?.text ?? `Status message ${m.messageId}.`,
  }));
  return { items, total, page: query.page, pageSize: query.pageSize };
}
