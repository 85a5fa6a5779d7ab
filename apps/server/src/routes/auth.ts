import { ChangePasswordRequest, LoginRequest, Me, SetLocaleRequest } from "@syncpoint/contracts";
import { z } from "zod";
import { defineRoute } from "../http/route.ts";
import { changePassword, login, meOf, setLocale } from "../services/auth.ts";
import { clearSessionCookie, destroyAllSessions, destroySession, setSessionCookie } from "../services/sessions.ts";

export const authRoutes = [
  defineRoute({
    method: "post",
    path: "/auth/login",
    access: "public",
    audit: { action: "auth.login" },
    summary: "Sign in with a user name and password; sets the session cookie.",
    body: LoginRequest,
    response: Me,
    handler: async ({ body, req, res, ctx, audit }) => {
      const meta = { sourceAddress: req.ip, userAgent: req.get("user-agent") };
      const { session, me } = await login(ctx, body, meta, audit);
      setSessionCookie(res, session, req.secure);
      return { body: me };
    },
  }),
  defineRoute({
    method: "post",
    path: "/auth/logout",
    access: "authenticated",
    allowDuringPasswordChange: true,
    audit: { action: "auth.logout" },
    summary: "End this browser session.",
    handler: async ({ principal, req, res, ctx }) => {
      if (principal?.sessionId) await destroySession(ctx, principal.sessionId);
      clearSessionCookie(res, req.secure);
      return undefined;
    },
  }),
  defineRoute({
    method: "post",
    path: "/auth/logout-everywhere",
    access: "authenticated",
    allowDuringPasswordChange: true,
    audit: { action: "auth.logout-everywhere" },
    summary: "End every browser session of the signed-in user, this one included. API tokens stay valid.",
    response: z.object({ sessionsEnded: z.number().int() }),
    handler: async ({ principal, req, res, ctx, audit }) => {
      const sessionsEnded = await destroyAllSessions(ctx, principal!.userId);
      audit.target("user", principal!.userId).details({ sessionsEnded });
      clearSessionCookie(res, req.secure);
      return { body: { sessionsEnded } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/auth/me",
    access: "authenticated",
    allowDuringPasswordChange: true,
    summary: "The signed-in user: name, role, permissions, whether the password must change, locale.",
    response: Me,
    handler: ({ principal }) => ({ body: meOf(principal!) }),
  }),
  defineRoute({
    method: "put",
    path: "/auth/locale",
    access: "authenticated",
    allowDuringPasswordChange: true,
    audit: { action: "user.set-locale" },
    summary: "Remember the signed-in user's console language (en-US, sv-SE, zh-CN, de-DE, nl-NL, it-IT).",
    body: SetLocaleRequest,
    response: Me,
    handler: async ({ body, principal, ctx, audit }) => {
      audit.target("user", principal!.userId).details({ locale: body.locale });
      return { body: await setLocale(ctx, principal!, body.locale) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/auth/change-password",
    access: "authenticated",
    allowDuringPasswordChange: true,
    audit: { action: "auth.change-password" },
    summary: "Change the signed-in user's password; the user's other sessions end.",
    body: ChangePasswordRequest,
    response: Me,
    handler: async ({ body, principal, ctx, audit }) => {
      audit.target("user", principal!.userId);
      await changePassword(ctx, principal!, body);
      return { body: { ...meOf(principal!), mustChangePassword: false } };
    },
  }),
];
