import { ApiTokenList, ApiTokenSummary, CreateApiTokenRequest, CreatedApiToken, IdParams } from "@syncpoint/contracts";
import { defineRoute } from "../http/route.ts";
import { createApiToken, listApiTokens, revokeApiToken } from "../services/tokens.ts";

export const tokenRoutes = [
  defineRoute({
    method: "get",
    path: "/tokens",
    access: "tokens.manage",
    summary: "Your API tokens (a user manager sees everyone's).",
    response: ApiTokenList,
    handler: async ({ ctx, principal }) => ({ body: { items: await listApiTokens(ctx, principal!) } }),
  }),
  defineRoute({
    method: "post",
    path: "/tokens",
    access: "tokens.manage",
    audit: { action: "token.create" },
    summary: "Create an API token acting with your role; the secret is returned this once.",
    body: CreateApiTokenRequest,
    response: CreatedApiToken,
    handler: async ({ body, ctx, principal, audit }) => {
      const created = await createApiToken(ctx, principal!, body);
      audit.target("token", created.token.id).after(created.token);
      return { status: 201, body: created };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/tokens/:id",
    access: "tokens.manage",
    audit: { action: "token.revoke" },
    summary: "Revoke an API token (yours, or anyone's for a user manager).",
    params: IdParams,
    response: ApiTokenSummary,
    handler: async ({ params, ctx, principal, audit }) => {
      audit.target("token", params.id);
      const { before, after } = await revokeApiToken(ctx, principal!, params.id);
      audit.before(before).after(after);
      return { body: after };
    },
  }),
];
