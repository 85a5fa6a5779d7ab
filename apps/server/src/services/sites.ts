import type { SiteNode } from "@syncpoint/contracts";
import type { AppContext } from "../context.ts";
import { syncSourceName } from "./sync-sources.ts";

/** The hierarchy as trees (normally one, rooted at the top-level site), children sorted by code. */
export async function getSiteTree(ctx: AppContext): Promise<SiteNode[]> {
  const sites = await ctx.prisma.site.findMany({ include: { sups: true }, orderBy: { code: "asc" } });
  const nodes = new Map<string, SiteNode>(
    sites.map((s) => [
      s.code,
      {
        code: s.code,
        name: s.name,
        type: s.type,
        parentCode: s.parentCode,
        sups: s.sups
          .sort((a, b) => a.serverName.localeCompare(b.serverName))
          .map((sup) => ({
            serverName: sup.serverName,
            syncSource: syncSourceName(sup.syncSource),
            catalogVersion: sup.catalogVersion,
          })),
        children: [],
      },
    ]),
  );
  const roots: SiteNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentCode ? nodes.get(node.parentCode) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
