import { ChangePasswordRequest, LoginRequest, Me } from "@syncpoint/contracts";
import { defineRoute } from "../http/route.ts";
import { HttpError } from "../http/errors.ts";
import { changePassword, login, meOf } from "../services/auth.ts";
import { clearSessionCookie, destroySession, setSessionCookie } from "../services/sessions.ts";

export const authRoutes = [
  defineRoute({
    method: "post",
    path: "/auth/login",
    access: "public",
    summary: "Sign in with a user name and password; sets the session cookie.",
    body: LoginRequest,
    response: Me,
    handler: async ({ body, req, res, ctx }) => {
      const { session, me } = await login(ctx, body, { sourceAddress: req.ip, userAgent: req.get("user-agent") });
      setSessionCookie(res, session, req.secure);
      return { body: me };
    },
  }),
  defineRoute({
    method: "post",
    path: "/auth/logout",
    access: "authenticated",
    summary: "End this browser session.",
    handler: async ({ principal, req, res, ctx }) => {
      if (principal?.sessionId) await destroySession(ctx, principal.sessionId);
      clearSessionCookie(res, req.secure);
      return undefined;
    },
  }),
  defineRoute({
    method: "get",
    path: "/auth/me",
    access: "authenticated",
    summary: "The signed-in user: name, role, permissions, whether the password must change, locale.",
    response: Me,
    handler: ({ principal }) => ({ body: meOf(principal!) }),
  }),
  defineRoute({
    method: "post",
    path: "/auth/change-password",
    access: "authenticated",
    summary: "Change the signed-in user's password; the user's other sessions end.",
    body: ChangePasswordRequest,
    response: Me,
    handler: async ({ body, principal, ctx }) => {
      if (!principal) throw new HttpError(401, "UNAUTHENTICATED", "Sign in to continue.");
      await changePassword(ctx, principal, body);
      return { body: { ...meOf(principal), mustChangePassword: false } };
    },
  }),
];
