// Browser sessions: the cookie carries a random token; Postgres keeps only its SHA-256, with an idle and an absolute
// expiry, so a stolen database does not yield usable cookies and logout is immediate everywhere.
import { createHash, randomBytes } from "node:crypto";
import { ROLE_PERMISSIONS } from "@syncpoint/contracts";
import type { Response } from "express";
import type { AppContext } from "../context.ts";
import type { Principal } from "../http/principal.ts";
import { roleName } from "./users.ts";

export const SESSION_COOKIE = "syncpoint_session";

/** Activity is written back at most this often, so reads do not turn every request into a write. */
const TOUCH_INTERVAL_MS = 60_000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface NewSession {
  token: string;
  expiresAt: Date;
}

export async function createSession(
  ctx: AppContext,
  userId: string,
  meta: { sourceAddress?: string; userAgent?: string },
): Promise<NewSession> {
  const token = randomBytes(32).toString("base64url");
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ctx.config.SESSION_ABSOLUTE_HOURS * 3_600_000);
  await ctx.prisma.session.create({
    data: {
      id: hashToken(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      sourceAddress: meta.sourceAddress ?? null,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
    },
  });
  return { token, expiresAt };
}

/** The principal behind a cookie token, or undefined when the session is unknown, idle too long or past its end. */
export async function resolveSession(ctx: AppContext, token: string): Promise<Principal | undefined> {
  if (token.length > 128) return undefined;
  const id = hashToken(token);
  const session = await ctx.prisma.session.findUnique({ where: { id }, include: { user: true } });
  if (!session) return undefined;
  const now = Date.now();
  const idleLimit = ctx.config.SESSION_IDLE_MINUTES * 60_000;
  if (session.expiresAt.getTime() <= now || now - session.lastSeenAt.getTime() > idleLimit) {
    await ctx.prisma.session.deleteMany({ where: { id } });
    return undefined;
  }
  if (now - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await ctx.prisma.session.update({ where: { id }, data: { lastSeenAt: new Date(now) } });
  }
  const role = roleName(session.user.role);
  return {
    userId: session.user.id,
    username: session.user.username,
    role,
    permissions: ROLE_PERMISSIONS[role],
    mustChangePassword: session.user.mustChangePassword,
    locale: session.user.locale,
    authMethod: "session",
    sessionId: id,
  };
}

export async function destroySession(ctx: AppContext, sessionId: string): Promise<void> {
  await ctx.prisma.session.deleteMany({ where: { id: sessionId } });
}

/** Ends every browser session of a user ("sign out everywhere"); returns how many there were. */
export async function destroyAllSessions(ctx: AppContext, userId: string): Promise<number> {
  const { count } = await ctx.prisma.session.deleteMany({ where: { userId } });
  return count;
}

export function setSessionCookie(res: Response, session: NewSession, secure: boolean): void {
  res.cookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", secure, path: "/" });
}
