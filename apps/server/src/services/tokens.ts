// API tokens for automation: `spt_` + 32 random bytes. Shown once; only the SHA-256 is stored (the token is
// high-entropy, so a fast hash is enough). A token acts with its user's *current* role.
import { createHash, randomBytes } from "node:crypto";
import {
  ROLE_PERMISSIONS,
  RoleName,
  type ApiTokenSummary,
  type CreatedApiToken,
  type CreateApiTokenRequest,
} from "@syncpoint/contracts";
import type { ApiToken } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import { notFound } from "../http/errors.ts";
import type { Principal } from "../http/principal.ts";

const TOKEN_PREFIX = "spt_";
const TOUCH_INTERVAL_MS = 60_000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

function toSummary(token: ApiToken & { user: { username: string } }): ApiTokenSummary {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    username: token.user.username,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}

export async function createApiToken(
  ctx: AppContext,
  principal: Principal,
  input: CreateApiTokenRequest,
): Promise<CreatedApiToken> {
  const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const token = await ctx.prisma.apiToken.create({
    data: {
      userId: principal.userId,
      name: input.name,
      tokenHash: hashToken(secret),
      prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
    },
    include: { user: { select: { username: true } } },
  });
  return { token: toSummary(token), secret };
}

/** The caller's own tokens; a user manager sees everyone's (to revoke a leaked one). */
export async function listApiTokens(ctx: AppContext, principal: Principal): Promise<ApiTokenSummary[]> {
  const all = principal.permissions.includes("users.manage");
  const tokens = await ctx.prisma.apiToken.findMany({
    where: all ? {} : { userId: principal.userId },
    include: { user: { select: { username: true } } },
    orderBy: { createdAt: "desc" },
  });
  return tokens.map(toSummary);
}

export async function revokeApiToken(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<{ before: ApiTokenSummary; after: ApiTokenSummary }> {
  const token = await ctx.prisma.apiToken.findUnique({
    where: { id },
    include: { user: { select: { username: true } } },
  });
  const mayRevoke = token && (token.userId === principal.userId || principal.permissions.includes("users.manage"));
  if (!mayRevoke) throw notFound("The API token");
  const revoked = token.revokedAt
    ? token
    : await ctx.prisma.apiToken.update({
        where: { id },
        data: { revokedAt: new Date() },
        include: { user: { select: { username: true } } },
      });
  return { before: toSummary(token), after: toSummary(revoked) };
}

/**
 * The principal behind a bearer token, or undefined when it is unknown, revoked or expired. Every API request of an
 * automation asks this, so it reads through the plain pool: one statement instead of Prisma's two model queries.
 */
export async function resolveApiToken(ctx: AppContext, secret: string): Promise<Principal | undefined> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 128) return undefined;
  const { rows } = await ctx.pool.query<{
    id: string;
    last_used_at: Date | null;
    user_id: string;
    username: string;
    role: string;
    must_change_password: boolean;
    locale: string | null;
  }>(
    `SELECT t.id, t.last_used_at, u.id AS user_id, u.username, u.role::text AS role, u.must_change_password, u.locale
     FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`,
    [hashToken(secret)],
  );
  const token = rows[0];
  const role = RoleName.safeParse(token?.role);
  if (!token || !role.success) return undefined;
  if (!token.last_used_at || Date.now() - token.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
    await ctx.pool.query("UPDATE api_tokens SET last_used_at = now() WHERE id = $1", [token.id]);
  }
  return {
    userId: token.user_id,
    username: token.username,
    role: role.data,
    permissions: ROLE_PERMISSIONS[role.data],
    mustChangePassword: token.must_change_password,
    locale: token.locale,
    authMethod: "token",
    tokenId: token.id,
  };
}
