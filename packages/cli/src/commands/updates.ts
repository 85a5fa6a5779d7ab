// `syncpoint updates search [text] [--classification …] [--product …] [--limit N]`: All Software Updates of a
// site's catalog (GET /api/software-updates), filtered and sorted on the server.
import { SoftwareUpdatePage } from "@syncpoint/contracts";
import { Categories, splitList } from "../categories.ts";
import type { Context } from "../context.ts";
import { EXIT } from "../io.ts";
import { dash, num, table, time } from "../format.ts";

export interface UpdatesSearchOptions {
  classification?: string[];
  product?: string[];
  severity?: string;
  site?: string;
  expired?: boolean;
  superseded?: boolean;
  sort?: string;
  limit: number;
}

export function updatesTable(page: SoftwareUpdatePage): string {
  const rows = page.items.map((u) => {
    const flags = [u.isExpired ? "expired" : "", u.isSuperseded ? "superseded" : ""].filter(Boolean).join(",");
    return [
      u.kbArticleIds.map((kb) => `KB${kb}`).join(",") || "—",
      u.title,
      u.classifications.map((c) => c.title).join(", ") || "—",
      dash(u.severity),
      time(u.releaseDate).slice(0, 10),
      dash(flags),
      u.updateId,
    ];
  });
  return (
    table(
      [
        { header: "ARTICLE", max: 20 },
        { header: "TITLE", max: 70 },
        { header: "CLASSIFICATION", max: 28 },
        { header: "SEVERITY" },
        { header: "RELEASED" },
        { header: "STATE" },
        { header: "UPDATE ID" },
      ],
      rows,
    ) + `\n${num(page.items.length)} of ${num(page.total)} update${page.total === 1 ? "" : "s"}\n`
  );
}

export async function updatesSearchCommand(
  ctx: Context,
  text: string | undefined,
  options: UpdatesSearchOptions,
): Promise<number> {
  const categories = new Categories(ctx.api);
  const classification = await categories.resolve("classification", splitList(options.classification));
  const product = await categories.resolve("product", splitList(options.product));
  const page = await ctx.api.get("/software-updates", SoftwareUpdatePage, {
    search: text,
    classification: classification.join(","),
    product: product.join(","),
    severity: options.severity,
    site: options.site?.toUpperCase(),
    expired: options.expired,
    superseded: options.superseded,
    sort: options.sort,
    pageSize: options.limit,
  });
  if (ctx.json) ctx.printJson(page);
  else ctx.out(updatesTable(page));
  return EXIT.ok;
}
