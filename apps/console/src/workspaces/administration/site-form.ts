// The Add Site and Properties form of Administration › Sites: values as typed, validation, and the request bodies.
import type { CreateSiteInput, SiteNode, UpdateSiteRequest } from "@syncpoint/contracts";
import type { TFunction } from "i18next";
import { ApiError } from "../../api/client.ts";
import { fieldErrorMessage } from "../../api/error-text.ts";

export interface SiteForm {
  code: string;
  name: string;
  serverName: string;
  port: string;
  sslPort: string;
  useSsl: boolean;
}

export type SiteField = "code" | "name" | "serverName" | "port" | "sslPort";
export type SiteFieldErrors = Partial<Record<SiteField, string>>;

const SITE_FIELDS: readonly SiteField[] = ["code", "name", "serverName", "port", "sslPort"];
const HOST = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

export const emptySiteForm = (): SiteForm => ({
  code: "",
  name: "",
  serverName: "",
  port: "8530",
  sslPort: "8531",
  useSsl: false,
});

export function formFromSite(site: SiteNode): SiteForm {
  const sup = site.sups[0];
  return {
    code: site.code,
    name: site.name,
    serverName: sup?.serverName ?? "",
    port: String(sup?.port ?? 8530),
    sslPort: String(sup?.sslPort ?? 8531),
    useSsl: sup?.useSsl ?? false,
  };
}

function port(value: string): number | undefined {
  if (!/^\d{1,5}$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** The messages shown next to the fields before anything is sent; empty when the form can be sent. */
export function validateSite(t: TFunction, form: SiteForm, adding: boolean): SiteFieldErrors {
  const errors: SiteFieldErrors = {};
  if (adding && !/^[A-Za-z0-9]{3}$/.test(form.code.trim())) errors.code = t("sites.form.errors.code");
  if (form.name.trim() === "") errors.name = t("sites.form.errors.name");
  else if (form.name.trim().length > 100) errors.name = t("sites.form.errors.nameLength");
  if (!HOST.test(form.serverName.trim().toLowerCase())) errors.serverName = t("sites.form.errors.serverName");
  const p = port(form.port);
  const s = port(form.sslPort);
  if (p === undefined) errors.port = t("sites.form.errors.port");
  if (s === undefined) errors.sslPort = t("sites.form.errors.port");
  else if (p === s) errors.sslPort = t("sites.form.errors.samePorts");
  return errors;
}

export function createRequest(form: SiteForm, type: "primary" | "secondary", parentCode: string): CreateSiteInput {
  return {
    code: form.code.trim().toUpperCase(),
    name: form.name.trim(),
    type,
    parentCode,
    sup: {
      serverName: form.serverName.trim().toLowerCase(),
      port: port(form.port)!,
      sslPort: port(form.sslPort)!,
      useSsl: form.useSsl,
    },
  };
}

/** The PATCH body: only what differs from the site as loaded; null when nothing does. */
export function updateRequest(initial: SiteForm, form: SiteForm): UpdateSiteRequest | null {
  const request: UpdateSiteRequest = {};
  if (form.name.trim() !== initial.name) request.name = form.name.trim();
  const sup: NonNullable<UpdateSiteRequest["sup"]> = {};
  const serverName = form.serverName.trim().toLowerCase();
  if (serverName !== initial.serverName) sup.serverName = serverName;
  if (port(form.port) !== port(initial.port)) sup.port = port(form.port)!;
  if (port(form.sslPort) !== port(initial.sslPort)) sup.sslPort = port(form.sslPort)!;
  if (form.useSsl !== initial.useSsl) sup.useSsl = form.useSsl;
  if (Object.keys(sup).length > 0) request.sup = sup;
  return Object.keys(request).length > 0 ? request : null;
}

/**
 * A 400's field messages in the user's language, placed next to the fields they name (`body.sup.serverName` →
 * serverName). A taken site code is said in the console's language even by a server that sends no reason codes.
 */
export function serverSiteErrors(t: TFunction, error: unknown): SiteFieldErrors {
  const errors: SiteFieldErrors = {};
  if (!(error instanceof ApiError)) return errors;
  for (const field of SITE_FIELDS) {
    const message = fieldErrorMessage(t, error, field);
    if (message) errors[field] = message;
  }
  if (error.code === "SITE_CODE_TAKEN" && error.field("code")?.code === undefined) {
    errors.code = t("errorCodes.SITE_CODE_TAKEN");
  }
  return errors;
}
