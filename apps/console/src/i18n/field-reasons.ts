// Why a field was refused, in the console's language: the server's FieldReason (`details.fields[].code`) and its
// params worded by a static key each (so that the key check sees them). A reason this console does not know, or one
// whose params lack what its sentence names, gives undefined: the caller then shows the server's English message.
import type { FieldParams, FieldReason } from "@syncpoint/contracts";
import type { TFunction } from "i18next";

export function fieldReasonText(t: TFunction, code: string, params: FieldParams = {}): string | undefined {
  const number = (name: string) => {
    const value = params[name];
    return typeof value === "number" ? value : undefined;
  };
  const text = (name: string) => {
    const value = params[name];
    return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
  };
  const min = number("min");
  const max = number("max");
  const count = number("count");
  switch (code as FieldReason) {
    case "required":
      return t("fieldErrors.required");
    case "invalid_type":
      return t("fieldErrors.invalidType");
    case "not_integer":
      return t("fieldErrors.notInteger");
    case "too_small":
      return min === undefined ? undefined : t("fieldErrors.tooSmall", { min });
    case "too_big":
      return max === undefined ? undefined : t("fieldErrors.tooBig", { max });
    case "too_short":
      return min === undefined ? undefined : t("fieldErrors.tooShort", { count: min });
    case "too_long":
      return max === undefined ? undefined : t("fieldErrors.tooLong", { count: max });
    case "too_few":
      return min === undefined ? undefined : t("fieldErrors.tooFew", { count: min });
    case "too_many":
      return max === undefined ? undefined : t("fieldErrors.tooMany", { count: max });
    case "wrong_count":
      return count === undefined ? undefined : t("fieldErrors.wrongCount", { count });
    case "out_of_range":
      return min === undefined || max === undefined ? undefined : t("fieldErrors.outOfRange", { min, max });
    case "invalid_value": {
      const values = text("values");
      return values === undefined ? t("fieldErrors.invalid") : t("fieldErrors.invalidValue", { values });
    }
    case "invalid_format":
      return t("fieldErrors.invalidFormat");
    case "invalid_email":
      return t("fieldErrors.invalidEmail");
    case "invalid_url":
      return t("fieldErrors.invalidUrl");
    case "invalid_uuid":
      return t("fieldErrors.invalidUuid");
    case "invalid_datetime":
      return t("fieldErrors.invalidDatetime");
    case "unknown_field": {
      const keys = text("keys");
      return keys === undefined ? undefined : t("fieldErrors.unknownField", { keys });
    }
    case "read_only":
      return t("fieldErrors.readOnly");
    case "nothing_to_change":
      return t("fieldErrors.nothingToChange");
    case "invalid":
      return t("fieldErrors.invalid");
    case "malformed_json":
      return t("fieldErrors.malformedJson");
    case "bad_percent_encoding":
      return t("fieldErrors.badPercentEncoding");
    case "unstorable_text":
      return t("fieldErrors.unstorableText");
    case "url_scheme_not_allowed": {
      const scheme = text("scheme");
      return scheme === undefined ? t("fieldErrors.invalidUrl") : t("fieldErrors.urlSchemeNotAllowed", { scheme });
    }
    case "url_has_credentials":
      return t("fieldErrors.urlHasCredentials");
    case "url_host_not_allowed": {
      const host = text("host");
      return host === undefined ? undefined : t("fieldErrors.urlHostNotAllowed", { host });
    }
    case "upstream_url_required":
      return t("fieldErrors.upstreamUrlRequired");
    case "ca_bundle_not_pem":
      return t("fieldErrors.caBundleNotPem");
    case "unknown_time_zone":
      return t("fieldErrors.unknownTimeZone");
    case "date_range_reversed":
      return t("fieldErrors.dateRangeReversed");
    case "site_not_found": {
      const site = text("site");
      return site === undefined ? undefined : t("fieldErrors.siteNotFound", { site });
    }
    case "parent_not_central": {
      const parent = text("parent");
      return parent === undefined ? undefined : t("fieldErrors.parentNotCentral", { parent });
    }
    case "parent_not_primary": {
      const parent = text("parent");
      return parent === undefined ? undefined : t("fieldErrors.parentNotPrimary", { parent });
    }
    case "site_has_no_sup": {
      const site = text("site");
      return site === undefined ? undefined : t("fieldErrors.siteHasNoSup", { site });
    }
    case "ports_must_differ":
      return t("fieldErrors.portsMustDiffer");
    case "server_name_taken": {
      const site = text("site");
      const serverName = text("serverName");
      return site === undefined || serverName === undefined
        ? undefined
        : t("fieldErrors.serverNameTaken", { site, serverName });
    }
    case "site_code_taken": {
      const site = text("site");
      return site === undefined ? undefined : t("fieldErrors.siteCodeTaken", { site });
    }
    case "username_taken":
      return t("fieldErrors.usernameTaken");
    case "password_incorrect":
      return t("fieldErrors.passwordIncorrect");
    case "password_unchanged":
      return t("fieldErrors.passwordUnchanged");
    default:
      return undefined;
  }
}
