import { SupSettingsDto } from "@syncpoint/contracts";
import { defineRoute } from "../http/route.ts";
import { notFound } from "../http/errors.ts";
import { syncSourceName } from "../services/sync-sources.ts";

export const settingsRoutes = [
  defineRoute({
    method: "get",
    path: "/sup-settings",
    access: "read",
    summary: "The Software Update Point Component Properties: sync source, products, classifications, languages.",
    response: SupSettingsDto,
    handler: async ({ ctx }) => {
      const settings = await ctx.prisma.supSettings.findUnique({ where: { id: 1 } });
      if (!settings) throw notFound("The software update point settings");
      return {
        body: {
          syncSource: syncSourceName(settings.syncSource),
          upstreamUrl: settings.upstreamUrl,
          products: settings.products,
          classifications: settings.classifications,
          languages: settings.languages,
          updatedAt: settings.updatedAt.toISOString(),
        },
      };
    },
  }),
];
