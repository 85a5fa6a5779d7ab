import { z } from "zod";
import { SiteCode, SiteType, SyncSource } from "./vocabulary.ts";

export const SupSummary = z.object({
  serverName: z.string(),
  syncSource: SyncSource,
  catalogVersion: z.number().int(),
});
export type SupSummary = z.infer<typeof SupSummary>;

/** One site of `GET /api/sites`, with its children: the hierarchy as a tree rooted at the top-level site. */
export interface SiteNode {
  code: string;
  name: string;
  type: z.infer<typeof SiteType>;
  parentCode: string | null;
  sups: SupSummary[];
  children: SiteNode[];
}
export const SiteNode: z.ZodType<SiteNode> = z.lazy(() =>
  z.object({
    code: SiteCode,
    name: z.string(),
    type: SiteType,
    parentCode: SiteCode.nullable(),
    sups: z.array(SupSummary),
    children: z.array(SiteNode),
  }),
);

export const SiteTree = z.object({ items: z.array(SiteNode) });
export type SiteTree = z.infer<typeof SiteTree>;
