import { DEFAULT_CONSOLE_LOCALE, ROLE_PERMISSIONS, type ConsoleLocale, type Me } from "@syncpoint/contracts";
import type { AppContext } from "../context.ts";
import { fieldError, HttpError } from "../http/errors.ts";
import type { Principal } from "../http/principal.ts";
import type { AuditScope } from "./audit.ts";
import { clearLoginFailures, lockedUntil, recordLoginFailure } from "./lockout.ts";
import { decoyPasswordHash, hashPassword, verifyPassword } from "./passwords.ts";
import { createSession, type NewSession } from "./sessions.ts";
import { roleName } from "./users.ts";

export interface LoginResult {
  session: NewSession;
  me: Me;
}

export async function login(
  ctx: AppContext,
  credentials: { username: string; password: string },
  meta: { sourceAddress?: string; userAgent?: string },
  audit: AuditScope,
): Promise<LoginResult> {
  audit.actor({ username: credentials.username });
  const key = { username: credentials.username, sourceAddress: meta.sourceAddress ?? "unknown" };
  const locked = await lockedUntil(ctx, key);
  if (locked) throw lockedError(locked);

  const user = await ctx.prisma.user.findUnique({ where: { username: credentials.username } });
  // Verify against a decoy for unknown users: the answer takes as long, so it does not reveal which names exist.
  const ok = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), credentials.password);
  if (!user || !ok) {
    const nowLocked = await recordLoginFailure(ctx, key);
    ctx.logger.info(
      { username: credentials.username, sourceAddress: meta.sourceAddress, locked: !!nowLocked },
      "sign-in failed",
    );
    if (nowLocked) audit.details({ lockedUntil: nowLocked.toISOString() });
    throw new HttpError(401, "INVALID_CREDENTIALS", "The user name or password is incorrect.");
  }
  await clearLoginFailures(ctx, key);
  const session = await createSession(ctx, user.id, meta);
  await ctx.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  const role = roleName(user.role);
  audit.actor({ userId: user.id, username: user.username, role, authMethod: "session" });
  ctx.logger.info({ username: user.username, sourceAddress: meta.sourceAddress }, "signed in");
  return {
    session,
    me: {
      username: user.username,
      role,
      permissions: [...ROLE_PERMISSIONS[role]],
      mustChangePassword: user.mustChangePassword,
      ...localeOf(user.locale),
    },
  };
}

function lockedError(until: Date): HttpError {
  const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new HttpError(
    429,
    "LOGIN_LOCKED",
    `Too many failed sign-ins for this user from this address. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
    { retryAfterSeconds, lockedUntil: until.toISOString() },
  );
}

export function meOf(principal: Principal): Me {
  return {
    username: principal.username,
    role: principal.role,
    permissions: [...principal.permissions],
    mustChangePassword: principal.mustChangePassword,
    ...localeOf(principal.locale),
  };
}

const localeOf = (chosen: string | null): Pick<Me, "locale" | "localeChosen"> => ({
  locale: chosen ?? DEFAULT_CONSOLE_LOCALE,
  localeChosen: chosen !== null,
});

/** Remembers the caller's console language. */
export async function setLocale(ctx: AppContext, principal: Principal, locale: ConsoleLocale): Promise<Me> {
  await ctx.prisma.user.update({ where: { id: principal.userId }, data: { locale } });
  return meOf({ ...principal, locale });
}

/** Changes the caller's password; other sessions of the user end, this one stays. */
export async function changePassword(
  ctx: AppContext,
  principal: Principal,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await ctx.prisma.user.findUniqueOrThrow({ where: { id: principal.userId } });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw fieldError("body.currentPassword", "the current password is incorrect", "password_incorrect", undefined, {
      summary: "body.currentPassword: the current password is incorrect.",
    });
  }
  if (input.newPassword === input.currentPassword) {
    throw fieldError(
      "body.newPassword",
      "choose a password different from the current one",
      "password_unchanged",
      undefined,
      { summary: "body.newPassword: choose a password different from the current one." },
    );
  }
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.prisma.$transaction([
    ctx.prisma.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: false } }),
    ctx.prisma.session.deleteMany({ where: { userId: user.id, NOT: { id: principal.sessionId ?? "" } } }),
  ]);
}
