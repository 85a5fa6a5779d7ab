import { z } from "zod";

export const ApiTokenSummary = z.object({
  id: z.string().uuid(),
  name: z.string(),
  /** The token's first characters, to tell tokens apart; never enough to use it. */
  prefix: z.string(),
  username: z.string(),
  createdAt: z.string().datetime(),
  expiresAt: z.string().datetime().nullable(),
  lastUsedAt: z.string().datetime().nullable(),
  revokedAt: z.string().datetime().nullable(),
});
export type ApiTokenSummary = z.infer<typeof ApiTokenSummary>;

export const ApiTokenList = z.object({ items: z.array(ApiTokenSummary) });
export type ApiTokenList = z.infer<typeof ApiTokenList>;

export const CreateApiTokenRequest = z.object({
  name: z.string().trim().min(1, "give the token a name").max(100, "use at most 100 characters"),
  /** Days until it expires; omit or null for a token that lasts until revoked. */
  expiresInDays: z.number().int().min(1, "1–3650 days").max(3650, "1–3650 days").nullable().optional(),
});
export type CreateApiTokenRequest = z.infer<typeof CreateApiTokenRequest>;

/** The new token: `secret` is shown this once and cannot be retrieved again. */
export const CreatedApiToken = z.object({ token: ApiTokenSummary, secret: z.string() });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;
