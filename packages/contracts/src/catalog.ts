import { z } from "zod";
import { pageOf, pageQuery } from "./pagination.ts";

const guidList = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const values = (v ?? "")
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      const bad = values.find((s) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s));
      if (bad) ctx.addIssue({ code: "custom", message: `${name}: "${bad}" is not a GUID` });
      return values;
    });

const flag = z.enum(["true", "false"]).transform((v) => v === "true");

export const SoftwareUpdatesQuery = pageQuery(["title", "releaseDate", "severity", "kb"], "-releaseDate").extend({
  search: z.string().trim().max(200, "search is at most 200 characters").optional(),
  classification: guidList("classification"),
  product: guidList("product"),
  severity: z.enum(["Critical", "Important", "Moderate", "Low", "None"]).optional(),
  expired: flag.optional(),
  superseded: flag.optional(),
  site: z
    .string()
    .regex(/^[A-Za-z0-9]{3}$/, "site is a site code such as CAS")
    .optional(),
});
export type SoftwareUpdatesQuery = z.infer<typeof SoftwareUpdatesQuery>;

export const CategoryRef = z.object({ id: z.string(), title: z.string() });

export const SoftwareUpdateItem = z.object({
  updateId: z.string(),
  revisionNumber: z.number().int(),
  title: z.string(),
  kbArticleIds: z.array(z.string()),
  bulletinIds: z.array(z.string()),
  cveIds: z.array(z.string()),
  severity: z.string().nullable(),
  classifications: z.array(CategoryRef),
  products: z.array(CategoryRef),
  releaseDate: z.string().datetime(),
  isExpired: z.boolean(),
  isSuperseded: z.boolean(),
  maxRunTimeMinutes: z.number().int().nullable(),
});
export type SoftwareUpdateItem = z.infer<typeof SoftwareUpdateItem>;
export const SoftwareUpdatePage = pageOf(SoftwareUpdateItem);
export type SoftwareUpdatePage = z.infer<typeof SoftwareUpdatePage>;

export const CatalogDigestQuery = z.object({
  products: z.string().max(20_000).optional(),
  classifications: z.string().max(20_000).optional(),
  languages: z.string().max(2_000).optional(),
});
export const CatalogDigestDto = z.object({ count: z.number().int(), digest: z.string() });
export type CatalogDigestDto = z.infer<typeof CatalogDigestDto>;

export const CategoryDto = z.object({
  id: z.string(),
  type: z.enum(["Company", "ProductFamily", "Product", "UpdateClassification"]),
  title: z.string(),
  parentIds: z.array(z.string()),
  firstSeenAt: z.string().datetime(),
  /** Discovered by a sync after the first one and not yet reviewed in the settings. */
  isNew: z.boolean(),
});
export type CategoryDto = z.infer<typeof CategoryDto>;
export const CategoriesQuery = z.object({ type: z.enum(["product", "classification"]).optional() });
export const CategoryList = z.object({ items: z.array(CategoryDto) });
