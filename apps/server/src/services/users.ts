// User management (Administration › Security › Administrative Users): one role per user; the last Full
// Administrator can be neither demoted nor deleted, so the hierarchy never becomes unmanageable.
import type { CreatedUser, CreateUserRequest, PasswordReset, RoleName, UserSummary } from "@syncpoint/contracts";
import { Prisma, Role, type User } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import { fieldError, HttpError, notFound } from "../http/errors.ts";
import type { Principal } from "../http/principal.ts";
import { generatePassword, hashPassword } from "./passwords.ts";

const TO_NAME: Record<Role, RoleName> = {
  [Role.full_administrator]: "full-administrator",
  [Role.software_update_manager]: "software-update-manager",
  [Role.read_only_analyst]: "read-only-analyst",
};
const FROM_NAME = Object.fromEntries(Object.entries(TO_NAME).map(([k, v]) => [v, k])) as Record<RoleName, Role>;

/** The database enum's member as the public role name. */
export function roleName(role: Role): RoleName {
  return TO_NAME[role];
}

export function toUserSummary(user: User): UserSummary {
  return {
    id: user.id,
    username: user.username,
    role: roleName(user.role),
    mustChangePassword: user.mustChangePassword,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

export async function listUsers(ctx: AppContext): Promise<UserSummary[]> {
  const users = await ctx.prisma.user.findMany({ orderBy: { username: "asc" } });
  return users.map(toUserSummary);
}

/** Creates a user who must choose their own password at first sign-in; generates the initial one when none is given. */
export async function createUser(ctx: AppContext, input: CreateUserRequest): Promise<CreatedUser> {
  const initialPassword = input.password ?? generatePassword();
  try {
    const user = await ctx.prisma.user.create({
      data: {
        username: input.username,
        role: FROM_NAME[input.role],
        passwordHash: await hashPassword(initialPassword),
        mustChangePassword: true,
      },
    });
    return { user: toUserSummary(user), ...(input.password ? {} : { initialPassword }) };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw fieldError("body.username", "a user with this name already exists", "username_taken", undefined, {
        status: 409,
        code: "USERNAME_TAKEN",
        summary: `A user named "${input.username}" already exists.`,
      });
    }
    throw error;
  }
}

/**
 * Runs a change that could remove a Full Administrator under a lock on the admins, so two concurrent demotions cannot
 * both see "another admin remains".
 */
async function withAdminGuard<T>(
  ctx: AppContext,
  userId: string,
  change: (tx: Prisma.TransactionClient, user: User) => Promise<T>,
  removesAdmin: (user: User) => boolean,
): Promise<T> {
  return ctx.prisma.$transaction(async (tx) => {
    const admins = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM users WHERE role = 'full-administrator' ORDER BY id FOR UPDATE`;
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw notFound("The user");
    if (removesAdmin(user) && user.role === Role.full_administrator && admins.length <= 1) {
      throw new HttpError(
        409,
        "LAST_ADMINISTRATOR",
        "The last Full Administrator cannot be removed or demoted; make another user Full Administrator first.",
      );
    }
    return change(tx, user);
  });
}

export async function changeUserRole(
  ctx: AppContext,
  userId: string,
  role: RoleName,
): Promise<{ before: UserSummary; after: UserSummary }> {
  return withAdminGuard(
    ctx,
    userId,
    async (tx, user) => {
      const updated = await tx.user.update({ where: { id: userId }, data: { role: FROM_NAME[role] } });
      return { before: toUserSummary(user), after: toUserSummary(updated) };
    },
    () => role !== "full-administrator",
  );
}

export async function deleteUser(ctx: AppContext, principal: Principal, userId: string): Promise<UserSummary> {
  if (userId === principal.userId) {
    throw new HttpError(409, "CANNOT_DELETE_SELF", "You cannot delete the account you are signed in with.");
  }
  return withAdminGuard(
    ctx,
    userId,
    async (tx, user) => {
      await tx.user.delete({ where: { id: userId } });
      return toUserSummary(user);
    },
    () => true,
  );
}

/** A new generated password the user must change at next sign-in; their sessions end. Tokens are left alone. */
export async function resetUserPassword(
  ctx: AppContext,
  userId: string,
): Promise<PasswordReset & { user: UserSummary }> {
  const initialPassword = generatePassword();
  const passwordHash = await hashPassword(initialPassword);
  const user = await ctx.prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw notFound("The user");
  const [updated] = await ctx.prisma.$transaction([
    ctx.prisma.user.update({ where: { id: userId }, data: { passwordHash, mustChangePassword: true } }),
    ctx.prisma.session.deleteMany({ where: { userId } }),
  ]);
  return { initialPassword, user: toUserSummary(updated) };
}
