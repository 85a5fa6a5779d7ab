import { z } from "zod";
import { withReason } from "./errors.ts";
import { SiteCode, SiteType, SyncSource } from "./vocabulary.ts";

export const SupSummary = z.object({
  serverName: z.string(),
  syncSource: SyncSource,
  catalogVersion: z.number().int(),
  // The server always sends the three below (Administration › Sites edits them); they are optional only so that
  // clients and fixtures written before they existed still type-check.
  port: z.number().int().optional(),
  sslPort: z.number().int().optional(),
  useSsl: z.boolean().optional(),
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

/** Configuration Manager's limits (domain.md §1): children of a central site and of a primary site. */
export const MAX_PRIMARIES_PER_CENTRAL = 25;
export const MAX_SECONDARIES_PER_PRIMARY = 250;

/** A software update point's server: a DNS host name (a WSUS server), stored in lower case. */
export const SupServerName = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, "a server name is at most 253 characters")
  .regex(
    /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/,
    "enter a host name such as p03-sup01.corp.contoso.com",
  );
const Port = (name: string) =>
  z
    .number({ error: `${name} is a port number` })
    .int(`${name} is a port number`)
    .min(1, `${name} is 1–65535`)
    .max(65535, `${name} is 1–65535`);
const SiteName = z.string().trim().min(1, "enter a site name").max(100, "a site name is at most 100 characters");

/** `POST /api/sites`: a child site with its software update point (a secondary has exactly one). */
export const CreateSiteRequest = z
  .object({
    code: z.string().trim().toUpperCase().pipe(SiteCode),
    name: SiteName,
    /** A central site is only ever the top level, created with the hierarchy; new sites are children. */
    type: z.enum(["primary", "secondary"], { error: "type is primary or secondary" }),
    parentCode: z.string().trim().toUpperCase().pipe(SiteCode),
    sup: z
      .object({
        serverName: SupServerName,
        /** WSUS defaults: 8530 (HTTP) and 8531 (HTTPS). */
        port: Port("port").default(8530),
        sslPort: Port("sslPort").default(8531),
        useSsl: z.boolean().default(false),
      })
      .strict()
      .refine((sup) => sup.port !== sup.sslPort, {
        ...withReason("ports_must_differ", "sslPort must differ from port"),
        path: ["sslPort"],
      }),
  })
  .strict();
export type CreateSiteRequest = z.infer<typeof CreateSiteRequest>;
export type CreateSiteInput = z.input<typeof CreateSiteRequest>;

const immutable = (what: string) => z.never({ error: `${what} cannot be changed; remove the site and add it again` });

/**
 * `PATCH /api/sites/:code`: the name and the software update point's server, ports and SSL. The code, type and parent
 * are what the hierarchy hangs on, so they are refused by name rather than ignored.
 */
export const UpdateSiteRequest = z
  .object({
    name: SiteName.optional(),
    sup: z
      .object({
        serverName: SupServerName.optional(),
        port: Port("port").optional(),
        sslPort: Port("sslPort").optional(),
        useSsl: z.boolean().optional(),
      })
      .strict()
      .optional(),
    code: immutable("The site code").optional(),
    type: immutable("The site type").optional(),
    parentCode: immutable("The parent site").optional(),
  })
  .strict()
  .refine(
    (body) => body.name !== undefined || (body.sup !== undefined && Object.keys(body.sup).length > 0),
    withReason("nothing_to_change", "send name or sup (serverName, port, sslPort, useSsl)"),
  );
export type UpdateSiteRequest = z.infer<typeof UpdateSiteRequest>;

export const SiteCodeParams = z.object({ code: z.string().toUpperCase().pipe(SiteCode) });

/** One site as `POST` and `PATCH /api/sites…` return it (and as the audit record's before/after). */
export const SiteDto = z.object({
  code: SiteCode,
  name: z.string(),
  type: SiteType,
  parentCode: SiteCode.nullable(),
  sups: z.array(SupSummary),
  createdAt: z.string().datetime(),
});
export type SiteDto = z.infer<typeof SiteDto>;
