import {
  CreatedUser,
  CreateUserRequest,
  IdParams,
  PasswordReset,
  UpdateUserRequest,
  UserList,
  UserSummary,
} from "@syncpoint/contracts";
import { defineRoute } from "../http/route.ts";
import { changeUserRole, createUser, deleteUser, listUsers, resetUserPassword } from "../services/users.ts";

export const userRoutes = [
  defineRoute({
    method: "get",
    path: "/users",
    access: "read",
    summary: "Every user with their role and last sign-in.",
    response: UserList,
    handler: async ({ ctx }) => ({ body: { items: await listUsers(ctx) } }),
  }),
  defineRoute({
    method: "post",
    path: "/users",
    access: "users.manage",
    audit: { action: "user.create" },
    summary: "Create a user with a role; without a password one is generated and returned once.",
    body: CreateUserRequest,
    response: CreatedUser,
    handler: async ({ body, ctx, audit }) => {
      const created = await createUser(ctx, body);
      audit.target("user", created.user.id).after(created.user);
      return { status: 201, body: created };
    },
  }),
  defineRoute({
    method: "patch",
    path: "/users/:id",
    access: "users.manage",
    audit: { action: "user.update" },
    summary: "Change a user's role.",
    params: IdParams,
    body: UpdateUserRequest,
    response: UserSummary,
    handler: async ({ params, body, ctx, audit }) => {
      audit.target("user", params.id);
      const { before, after } = await changeUserRole(ctx, params.id, body.role);
      audit.before(before).after(after);
      return { body: after };
    },
  }),
  defineRoute({
    method: "post",
    path: "/users/:id/reset-password",
    access: "users.manage",
    audit: { action: "user.reset-password" },
    summary: "Generate a new password the user must change at next sign-in; their sessions end.",
    params: IdParams,
    response: PasswordReset,
    handler: async ({ params, ctx, audit }) => {
      audit.target("user", params.id);
      const { initialPassword, user } = await resetUserPassword(ctx, params.id);
      audit.details({ username: user.username });
      return { body: { initialPassword } };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/users/:id",
    access: "users.manage",
    audit: { action: "user.delete" },
    summary: "Delete a user, their sessions and API tokens.",
    params: IdParams,
    handler: async ({ params, principal, ctx, audit }) => {
      audit.target("user", params.id);
      audit.before(await deleteUser(ctx, principal!, params.id));
      return undefined;
    },
  }),
];
