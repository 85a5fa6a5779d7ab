import { z } from "zod";

/** Every error code the API returns. UPPER_SNAKE, stable: add, never rename or remove. */
export const ERROR_CODES = {
  VALIDATION_FAILED: "The request is not valid; details name the field.",
  UNAUTHENTICATED: "Sign in first.",
  INVALID_CREDENTIALS: "The user name or password is incorrect.",
  LOGIN_LOCKED: "Too many failed sign-ins for this user from this address; try again later.",
  PASSWORD_CHANGE_REQUIRED: "Change your password before doing anything else.",
  INVALID_TOKEN: "The API token is unknown, revoked or expired.",
  FORBIDDEN: "Your role does not allow this action.",
  NOT_FOUND: "No such resource.",
  USERNAME_TAKEN: "A user with this name already exists.",
  LAST_ADMINISTRATOR: "The last Full Administrator cannot be removed or demoted.",
  CANNOT_DELETE_SELF: "You cannot delete the account you are signed in with.",
  UNSUPPORTED_MEDIA_TYPE: "Send the request body as application/json.",
  PAYLOAD_TOO_LARGE: "The request body is too large.",
  BAD_REQUEST: "The request could not be understood (for example a malformed URL).",
  METHOD_NOT_ALLOWED: "This resource does not accept that HTTP method.",
  SYNC_ALREADY_ACTIVE: "A synchronization is already queued or running for this site.",
  SYNC_SOURCE_DISCONNECTED: "The top-level site is set not to synchronize from Microsoft Update or an upstream source.",
  SERVICE_UNAVAILABLE: "The service is not ready.",
  NOT_TOP_LEVEL_SITE: "Synchronization can be started by hand only at the top-level site.",
  RUN_NOT_ACTIVE: "The run has already ended.",
  // Why a run failed (SyncRun.errorCode), shown with their meaning in Monitoring.
  UPSTREAM_UNREACHABLE: "The upstream update server could not be reached (connection refused, reset or timed out).",
  UPSTREAM_HTTP_ERROR: "The upstream update server answered with an HTTP error.",
  UPSTREAM_SOAP_FAULT: "The upstream update server answered with a SOAP fault.",
  UPSTREAM_AUTH_FAILED: "The upstream update server refused the authorization or cookie.",
  UPSTREAM_PROTOCOL_ERROR: "The upstream update server's answer was malformed or truncated.",
  UPSTREAM_UNSAFE_ANSWER:
    "The upstream update server's answer was refused as unsafe: a DTD or entity declaration, or past a limit on size, nesting depth, attributes, element count or decompressed size.",
  UPSTREAM_TIMEOUT: "The upstream update server did not answer in time.",
  UPSTREAM_BAD_RECORD: "The upstream update server sent update records that could not be read, even after retries.",
  UPSTREAM_URL_NOT_ALLOWED:
    "The upstream server URL is not allowed: only http or https, no user name or password in it, and a host in UPSTREAM_ALLOWED_HOSTS when that is set.",
  SYNC_CANCELED: "The synchronization was canceled.",
  WORKER_LOST: "The worker running the synchronization stopped before it finished.",
  RUN_TIMEOUT: "The synchronization made no progress for the run timeout (runTimeoutMinutes) and was stopped.",
  RUN_NOT_RETRYABLE: "Only a failed or canceled run can be retried.",
  ALERT_NOT_ACTIVE: "Only an active alert can be acknowledged.",
  // Software Library › Import Updates.
  CATALOG_SEARCH_UNAVAILABLE:
    "The upstream offers no catalog search (MS-WSUSSS has no search operation): import an update by its update ID instead.",
  FEATURE_UPDATE_NOT_IMPORTABLE: "Feature updates cannot be imported from the catalog.",
  IMPORT_NOT_FOUND: "The upstream does not offer this update revision.",
  IMPORT_NOT_REMOVABLE: "A synchronization is importing this update; remove it when the run has ended.",
  // Software Library › Update Packages: a disconnected top-level site (domain.md §5, docs/UPDATE-PACKAGE.md).
  PACKAGE_TOO_LARGE:
    "The update package is larger than PACKAGE_MAX_BYTES, or expands to far more than its size (a decompression bomb).",
  PACKAGE_TRUNCATED: "The update package ends too early: the file is incomplete (an interrupted copy or download).",
  PACKAGE_CORRUPT:
    "The update package cannot be read: not gzip, damaged data, a line that is not valid, or lines out of order.",
  PACKAGE_CHECKSUM_MISMATCH: "The update package's content does not match the checksum on its last line.",
  PACKAGE_FORMAT_UNSUPPORTED: "The file is not a Syncpoint update package, or one of a newer format version.",
  PACKAGE_FILTER_MISMATCH:
    "The update package lacks products, classifications or languages the top-level site's settings select.",
  PACKAGE_OLDER_THAN_CATALOG: "The update package holds an older catalog version than the site already has.",
  PACKAGE_FILE_MISSING: "The update package's file is no longer stored (DATA_DIR/packages); upload it again.",
  PACKAGE_IN_USE: "A synchronization is applying this update package; it can be removed once the run ends.",
  SITE_NOT_DISCONNECTED:
    'Update packages are imported only into a top-level site set to "Do not synchronize from Microsoft Update or upstream data source".',
  CATALOG_NOT_SYNCED: "The site's catalog has never been synchronized: there is nothing to export.",
  // Administration › Sites: the hierarchy's rules (domain.md §1).
  SITE_CODE_TAKEN: "A site with this code already exists.",
  SITE_LIMIT_REACHED:
    "The parent site already has the most child sites it can have (25 primaries under a central site, 250 secondaries under a primary).",
  SITE_HAS_CHILDREN: "Remove the site's child sites first.",
  TOP_LEVEL_SITE: "The top-level site cannot be removed.",
  INTERNAL_ERROR: "Something went wrong on the server; the request id identifies it in the server log.",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ErrorEnvelope = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/**
 * Why a field was refused, as `details.fields[].code` names it: stable, lower_snake, language-neutral — a client words
 * the refusal from it (and `params`) in its own language; `message` says the same in English. Add, never rename or
 * remove; a client meets codes added after it was written, and then shows `message`.
 */
export const FIELD_REASONS = {
  // Any schema's checks.
  required: "The field is missing or empty.",
  invalid_type: "The value has the wrong JSON type (params.expected: the type wanted).",
  not_integer: "The number must be a whole number.",
  too_small: "The number is below its minimum (params.min).",
  too_big: "The number is above its maximum (params.max).",
  too_short: "The text has fewer characters than its minimum (params.min).",
  too_long: "The text has more characters than its maximum (params.max).",
  too_few: "The list has fewer entries than its minimum (params.min).",
  too_many: "The list has more entries than its maximum (params.max).",
  wrong_count: "The list must have exactly params.count entries.",
  out_of_range: "The number is outside its range (params.min to params.max; params.unit for a schedule's interval).",
  invalid_value: "The value is not one of those allowed (params.values, separated by commas).",
  invalid_format: "The text does not have the form the field needs.",
  invalid_email: "The text is not an email address.",
  invalid_url: "The text is not a URL.",
  invalid_uuid:
    "The text is not a GUID (UUID) such as 0fa1201d-4330-4fa8-8ae9-b877473b6441 (params.value: the entry refused in a list).",
  invalid_datetime: "The text is not an ISO-8601 date or time.",
  unknown_field: "The request has fields the endpoint does not take (params.keys, separated by commas).",
  read_only: "The field cannot be changed.",
  nothing_to_change: "The request changes nothing: send at least one field.",
  invalid: "The value is not valid (the message says why).",
  // What the server checks before the schema runs.
  malformed_json: "The JSON is malformed.",
  bad_percent_encoding: "The URL path is not valid percent-encoding.",
  unstorable_text: "The text contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored.",
  // URLs: the upstream server, the proxy, webhooks.
  url_scheme_not_allowed: "Only http and https URLs are allowed (params.scheme: the scheme refused, when known).",
  url_has_credentials: "The URL contains a user name or password.",
  url_host_not_allowed: "The URL's host (params.host) is not in UPSTREAM_ALLOWED_HOSTS.",
  upstream_url_required: "Synchronizing from an upstream data source needs the upstream server's URL.",
  // Component settings and the Sync Schedule.
  ca_bundle_not_pem: "The CA bundle is not one or more PEM certificates (-----BEGIN CERTIFICATE----- …).",
  unknown_time_zone: "The time zone is not an IANA time zone such as Europe/Berlin or UTC.",
  date_range_reversed: "The end of the date range is before its start.",
  // Sites.
  site_not_found: "There is no site with the code params.site.",
  parent_not_central:
    "A primary site's parent must be the central administration site (params.parent is not: a params.parentType site).",
  parent_not_primary:
    "A secondary site's parent must be a primary site (params.parent is not: a params.parentType site).",
  site_has_no_sup: "The site params.site has no software update point.",
  ports_must_differ: "The HTTPS port (sslPort) must differ from the HTTP port.",
  server_name_taken: "Another software update point of the site params.site has this server name (params.serverName).",
  site_code_taken: "A site with the code params.site already exists.",
  // Users and passwords.
  username_taken: "A user with this name already exists.",
  password_incorrect: "The current password is incorrect.",
  password_unchanged: "The new password is the same as the current one.",
} as const;

export const FieldReason = z.enum(Object.keys(FIELD_REASONS) as [keyof typeof FIELD_REASONS]);
export type FieldReason = z.infer<typeof FieldReason>;

/** What a field's refusal interpolates: limits, the value refused (`min`, `max`, `count`, `scheme`, `host`, …). */
export const FieldParams = z.record(z.string(), z.union([z.string(), z.number()]));
export type FieldParams = z.infer<typeof FieldParams>;

/**
 * One invalid field of a request, as a 400's `details.fields[]` lists them: `message` in English, and — from the server
 * of this version on always — `code` (why) with `params` (the specifics), for a client to word it in its language.
 */
export const FieldError = z.object({
  field: z.string(),
  message: z.string(),
  code: FieldReason.optional(),
  params: FieldParams.optional(),
});
export type FieldError = z.infer<typeof FieldError>;

/**
 * A zod refinement's options that name its FieldReason: `.refine(check, withReason("ca_bundle_not_pem", "…"))`.
 * The server's validation error reads `params.reason` (and the other params) back into the field's `code` and `params`.
 */
export function withReason(
  reason: FieldReason,
  message: string,
  params: FieldParams = {},
): { error: string; params: FieldParams } {
  return { error: message, params: { ...params, reason } };
}
