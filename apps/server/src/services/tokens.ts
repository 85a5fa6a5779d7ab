// API tokens for automation: `spt_` + 32 random bytes. Shown once; only the SHA-256 is stored (the token is
// high-entropy, so a fast hash is enough). A token acts with its user's *current* role.
import { createHash, randomBytes } from "node:crypto";
import {
  ROLE_PERMISSIONS,
  type ApiTokenSummary,
  type CreatedApiToken,
  type CreateApiTokenRequest,
} from "@syncpoint/contracts";
import type { ApiToken } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import { notFound } from "../http/errors.ts";
import type { Principal } from "../http/principal.ts";
import { roleName } from "./users.ts";

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

/** The principal behind a bearer token, or undefined when it is unknown, revoked or expired. */
export async function resolveApiToken(ctx: AppContext, secret: string): Promise<Principal | undefined> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 128) return undefined;
  const token = await ctx.prisma.apiToken.findUnique({
    where: { tokenHash: hashToken(secret) },
    include: { user: true },
  });
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt.getTime() <= Date.now())) return undefined;
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await ctx.prisma.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date() } });
  }
  const role = roleName(token.user.role);
  return {
    userId: token.user.id,
    username: token.user.username,
    role,
    permissions: ROLE_PERMISSIONS[role],
    mustChangePassword: token.user.mustChangePassword,
    locale: token.user.locale,
    authMethod: "token",
    tokenId: token.id,
  };
}
