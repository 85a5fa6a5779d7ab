import { SiteTree } from "@syncpoint/contracts";
import { defineRoute } from "../http/route.ts";
import { getSiteTree } from "../services/sites.ts";

export const siteRoutes = [
  defineRoute({
    method: "get",
    path: "/sites",
    access: "read",
    summary: "The site hierarchy as a tree, each site with its software update points.",
    response: SiteTree,
    handler: async ({ ctx }) => ({ body: { items: await getSiteTree(ctx) } }),
  }),
];
