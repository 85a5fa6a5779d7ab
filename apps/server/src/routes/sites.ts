import { CreateSiteRequest, SiteCodeParams, SiteDto, SiteTree, UpdateSiteRequest } from "@syncpoint/contracts";
import { defineRoute } from "../http/route.ts";
import { createSite, deleteSite, getSiteTree, updateSite } from "../services/sites.ts";

export const siteRoutes = [
  defineRoute({
    method: "get",
    path: "/sites",
    access: "read",
    summary: "The site hierarchy as a tree, each site with its software update points.",
    response: SiteTree,
    handler: async ({ ctx }) => ({ body: { items: await getSiteTree(ctx) } }),
  }),
  defineRoute({
    method: "post",
    path: "/sites",
    access: "sites.edit",
    audit: { action: "site.create" },
    summary:
      "Add a primary site under the central site (at most 25) or a secondary under a primary (at most 250), with its software update point.",
    body: CreateSiteRequest,
    response: SiteDto,
    handler: async ({ body, ctx, audit }) => {
      audit.target("site", body.code);
      const site = await createSite(ctx, body);
      audit.after(site);
      return { status: 201, body: site };
    },
  }),
  defineRoute({
    method: "patch",
    path: "/sites/:code",
    access: "sites.edit",
    audit: { action: "site.update" },
    summary:
      "Rename a site or change its software update point's server, ports and SSL (code, type and parent cannot change).",
    params: SiteCodeParams,
    body: UpdateSiteRequest,
    response: SiteDto,
    handler: async ({ params, body, ctx, audit }) => {
      audit.target("site", params.code);
      const { before, after } = await updateSite(ctx, params.code, body);
      audit.before(before).after(after);
      return { body: after };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/sites/:code",
    access: "sites.edit",
    audit: { action: "site.delete" },
    summary:
      "Remove a site below the top level that has no child sites and no active synchronization, with its software update points, catalog and runs.",
    params: SiteCodeParams,
    handler: async ({ params, ctx, audit }) => {
      audit.target("site", params.code);
      const { before, removed } = await deleteSite(ctx, params.code);
      audit.before(before).details({ removed });
      return undefined;
    },
  }),
];
