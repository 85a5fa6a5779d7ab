// Sign-in lockout (DESIGN.md, "Security defaults"): LOCKOUT_THRESHOLD failed sign-ins for one user name from one
// address within LOCKOUT_WINDOW_MINUTES lock that pair for LOCKOUT_MINUTES. Keyed by the pair, so an attacker
// elsewhere cannot lock a real administrator out of their own desk.
import type { AppContext } from "../context.ts";

export interface LoginAttemptKey {
  username: string;
  sourceAddress: string;
}

/** When the pair is locked, the time it unlocks. */
export async function lockedUntil(ctx: AppContext, key: LoginAttemptKey): Promise<Date | undefined> {
  const lock = await ctx.prisma.loginLockout.findUnique({ where: { username_sourceAddress: key } });
  return lock && lock.lockedUntil.getTime() > Date.now() ? lock.lockedUntil : undefined;
}

/** Records a failure; returns the unlock time when this failure locked the pair. */
export async function recordLoginFailure(ctx: AppContext, key: LoginAttemptKey): Promise<Date | undefined> {
  const now = Date.now();
  const windowStart = new Date(now - ctx.config.LOCKOUT_WINDOW_MINUTES * 60_000);
  return ctx.prisma.$transaction(async (tx) => {
    await tx.loginFailure.deleteMany({ where: { ...key, at: { lt: windowStart } } });
    await tx.loginFailure.create({ data: { ...key, at: new Date(now) } });
    const failures = await tx.loginFailure.count({ where: { ...key, at: { gte: windowStart } } });
    if (failures < ctx.config.LOCKOUT_THRESHOLD) return undefined;
    const until = new Date(now + ctx.config.LOCKOUT_MINUTES * 60_000);
    await tx.loginLockout.upsert({
      where: { username_sourceAddress: key },
      create: { ...key, lockedUntil: until },
      update: { lockedUntil: until },
    });
    // The count starts afresh once the lock ends.
    await tx.loginFailure.deleteMany({ where: key });
    return until;
  });
}

export async function clearLoginFailures(ctx: AppContext, key: LoginAttemptKey): Promise<void> {
  await ctx.prisma.$transaction([
    ctx.prisma.loginFailure.deleteMany({ where: key }),
    ctx.prisma.loginLockout.deleteMany({ where: key }),
  ]);
}
