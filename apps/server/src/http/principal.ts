import type { AuthMethod, Permission, RoleName } from "@syncpoint/contracts";
import type { Response } from "express";

/** Who is calling: resolved once per request from the session cookie or the bearer token. */
export interface Principal {
  userId: string;
  username: string;
  role: RoleName;
  permissions: readonly Permission[];
  mustChangePassword: boolean;
  /** The console language the user chose; null until they choose. */
  locale: string | null;
  authMethod: Exclude<AuthMethod, "anonymous">;
  /** The session's id (token hash) when the caller signed in through the browser. */
  sessionId?: string;
  /** The API token's id when the caller sent `Authorization: Bearer`. */
  tokenId?: string;
}

export function principalOf(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}

export function setPrincipal(res: Response, principal: Principal): void {
  res.locals.principal = principal;
}
