import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "./auth.ts";
import { RoleName } from "./vocabulary.ts";

export const Username = z
  .string()
  .trim()
  .min(2, "use 2–64 characters")
  .max(64, "use 2–64 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, "use letters, digits, dots, dashes, underscores and @");

export const UserSummary = z.object({
  id: z.string().uuid(),
  username: z.string(),
  role: RoleName,
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().datetime().nullable(),
  createdAt: z.string().datetime(),
});
export type UserSummary = z.infer<typeof UserSummary>;

export const UserList = z.object({ items: z.array(UserSummary) });
export type UserList = z.infer<typeof UserList>;

export const CreateUserRequest = z.object({
  username: Username,
  role: RoleName,
  /** Omit to have a password generated; either way the user must change it at first sign-in. */
  password: z.string().min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`).max(1024).optional(),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

/** A created user, and the generated initial password (shown once) when none was given. */
export const CreatedUser = z.object({ user: UserSummary, initialPassword: z.string().optional() });
export type CreatedUser = z.infer<typeof CreatedUser>;

export const UpdateUserRequest = z.object({ role: RoleName });
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const PasswordReset = z.object({ initialPassword: z.string() });
export type PasswordReset = z.infer<typeof PasswordReset>;

export const IdParams = z.object({ id: z.string().uuid("not a valid id") });
