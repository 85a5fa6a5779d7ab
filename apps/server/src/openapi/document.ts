// GET /api/openapi.json: the OpenAPI 3.1 document of the routes this process mounts, generated from their definitions
// (access, summary, zod schemas from packages/contracts) by the contracts' buildOpenApiDocument. What a route does not
// declare — a success status other than 200/204, a body that is not JSON, the conflicts it answers — is noted below,
// keyed by route; a note for a route that does not exist stops the build. Built once per route list.
import * as contracts from "@syncpoint/contracts";
import {
  buildOpenApiDocument,
  type OpenApiDocument,
  type OpenApiRouteNotes,
  type OpenApiTag,
} from "@syncpoint/contracts";
import { appVersion } from "../data-dir-version.ts";
import type { RouteSpec } from "../http/route.ts";
import { SESSION_COOKIE } from "../services/sessions.ts";

export const API_BASE_PATH = "/api";

/** The areas of the API, as the reference groups them; a route takes the tag of its longest matching path prefix. */
export const API_TAGS: readonly OpenApiTag[] = [
  { name: "Health", description: "Readiness and liveness probes.", prefixes: ["/health"] },
  {
    name: "Authentication",
    description: "Sign in and out, the signed-in user, their password and console language.",
    prefixes: ["/auth"],
  },
  { name: "Users", description: "Administrative users and their security roles.", prefixes: ["/users"] },
  { name: "API Tokens", description: "Personal API tokens for scripts.", prefixes: ["/tokens"] },
  { name: "Audit", description: "Who did what, when and from where.", prefixes: ["/audit"] },
  { name: "Sites", description: "The site hierarchy and each site's software update point.", prefixes: ["/sites"] },
  {
    name: "Synchronization",
    description: "Start, follow, cancel and retry synchronizations; status rows and status messages.",
    prefixes: ["/sync", "/sync-runs", "/sup-sync-status", "/status-messages"],
  },
  {
    name: "Software Updates",
    description: "A site's catalog: All Software Updates, update details, the CSV export, categories, digests.",
    prefixes: ["/software-updates", "/categories", "/sites/:code/catalog"],
  },
  {
    name: "Update Packages",
    description:
      "A disconnected top-level site's catalog: export a site's catalog as an update package, upload one (verified as it streams in), apply it.",
    prefixes: ["/update-packages", "/sites/:code/update-package"],
  },
  {
    name: "Import Updates",
    description:
      "Search the update catalog, import updates with their prerequisites and bundled updates, and the imported updates.",
    prefixes: ["/catalog/search", "/imported-updates"],
  },
  {
    name: "Settings",
    description: "The software update point component settings, schedule preview and Test connection.",
    prefixes: ["/sup-settings"],
  },
  { name: "Alerts", description: "Alerts raised by synchronizations and new categories.", prefixes: ["/alerts"] },
  {
    name: "Notifications",
    description: "Email and webhook subscriptions to synchronization events.",
    prefixes: ["/notification-subscriptions"],
  },
  { name: "Reference", description: "This document.", prefixes: ["/openapi.json"] },
];

/** What the route definitions do not say about their answers. */
export const ROUTE_NOTES: Readonly<Record<string, OpenApiRouteNotes>> = {
  "GET /health": {
    alternative: { status: 503, description: "Not ready: the database is not migrated or no worker beat recently." },
  },
  "POST /auth/login": { errors: { 401: ["INVALID_CREDENTIALS"], 429: ["LOGIN_LOCKED"] } },
  "POST /users": { status: 201, errors: { 409: ["USERNAME_TAKEN"] } },
  "PATCH /users/:id": { errors: { 409: ["LAST_ADMINISTRATOR"] } },
  "DELETE /users/:id": { errors: { 409: ["LAST_ADMINISTRATOR", "CANNOT_DELETE_SELF"] } },
  "POST /tokens": { status: 201 },
  "POST /sites": { status: 201, errors: { 409: ["SITE_CODE_TAKEN", "SITE_LIMIT_REACHED"] } },
  "DELETE /sites/:code": { errors: { 409: ["TOP_LEVEL_SITE", "SITE_HAS_CHILDREN", "SYNC_ALREADY_ACTIVE"] } },
  "POST /sync": {
    status: 202,
    errors: { 409: ["SYNC_ALREADY_ACTIVE", "SYNC_SOURCE_DISCONNECTED", "NOT_TOP_LEVEL_SITE"] },
  },
  "GET /sync-runs/:id/log": {
    media: { type: "text/plain", description: "The log lines in the wsyncmgr.log line format, oldest first." },
    headers: { "X-Log-Seq": "The seq of the last line sent: pass it as `after` to get only newer lines." },
  },
  "POST /sync-runs/:id/cancel": { errors: { 409: ["RUN_NOT_ACTIVE"] } },
  "POST /sync-runs/:id/retry": {
    status: 202,
    errors: { 409: ["RUN_NOT_RETRYABLE", "SYNC_ALREADY_ACTIVE", "SYNC_SOURCE_DISCONNECTED"] },
  },
  "GET /software-updates/export.csv": {
    media: { type: "text/csv", description: "A CSV attachment (UTF-8 with a byte order mark), streamed." },
    headers: {
      "Content-Disposition": 'attachment; filename="all-software-updates.csv"',
      "X-Syncpoint-Truncated": "`true` when the export stopped at its row limit.",
    },
  },
  "GET /sites/:code/update-package": {
    media: {
      type: "application/gzip",
      description:
        "The update package (gzip of NDJSON: manifest, category lines, update lines, end line with the sha256), streamed as an attachment.",
    },
    headers: {
      "Content-Disposition": 'attachment; filename="syncpoint-<site>-v<catalog version>-<yyyymmdd>.ndjson.gz"',
      "X-Syncpoint-Catalog-Version": "The catalog version the package holds.",
    },
    errors: { 409: ["CATALOG_NOT_SYNCED"] },
  },
  "POST /update-packages": {
    status: 201,
    errors: {
      409: ["SITE_NOT_DISCONNECTED", "PACKAGE_OLDER_THAN_CATALOG"],
      413: ["PACKAGE_TOO_LARGE"],
      422: [
        "PACKAGE_TRUNCATED",
        "PACKAGE_CORRUPT",
        "PACKAGE_CHECKSUM_MISMATCH",
        "PACKAGE_FORMAT_UNSUPPORTED",
        "PACKAGE_FILTER_MISMATCH",
      ],
    },
  },
  "POST /update-packages/:id/apply": {
    status: 202,
    errors: {
      409: ["SITE_NOT_DISCONNECTED", "PACKAGE_OLDER_THAN_CATALOG", "PACKAGE_FILE_MISSING", "SYNC_ALREADY_ACTIVE"],
      422: ["PACKAGE_FILTER_MISMATCH"],
    },
  },
  "DELETE /update-packages/:id": { errors: { 409: ["PACKAGE_IN_USE"] } },
  "PUT /sup-settings": { errors: { 400: ["UPSTREAM_URL_NOT_ALLOWED"] } },
  "POST /alerts/:id/acknowledge": { errors: { 409: ["ALERT_NOT_ACTIVE"] } },
  "GET /catalog/search": {
    errors: {
      409: ["CATALOG_SEARCH_UNAVAILABLE", "SYNC_SOURCE_DISCONNECTED"],
      502: ["UPSTREAM_UNREACHABLE", "UPSTREAM_TIMEOUT", "UPSTREAM_HTTP_ERROR", "UPSTREAM_PROTOCOL_ERROR"],
    },
  },
  "POST /imported-updates": { status: 202, errors: { 409: ["SYNC_SOURCE_DISCONNECTED", "NOT_TOP_LEVEL_SITE"] } },
  "DELETE /imported-updates/:updateId": { errors: { 409: ["IMPORT_NOT_REMOVABLE"] } },
  "POST /notification-subscriptions": { status: 201 },
};

const DESCRIPTION = [
  "The Syncpoint REST API: the same API the console uses.",
  "",
  "**Authentication.** A session cookie from `POST /api/auth/login`, or an API token as `Authorization: Bearer <token>`",
  "(Administration › Security › API Tokens). Mutations sent with the cookie must be `application/json` (a POST at",
  "least `{}`; an upload: its own media type) and, when an `Origin` header is present, same-origin; requests with a",
  "token are exempt.",
  "",
  '**Errors** are `{ "error": { "code", "message", "details"? } }` with an UPPER_SNAKE code (components',
  "`ErrorCode`); a 400 names each invalid field in `details.fields`: `{ field, message, code?, params? }` — `code` (a",
  "`FieldReason`, lower_snake) says why and `params` the specifics (`min`, `max`, `scheme`, …), so a client can word",
  "it in its own language; `message` says it in English.",
  "",
  "**Lists** take `?page=` (from 1) `&pageSize=` (1–500, default 50) `&sort=field|-field` and answer",
  "`{ items, total, page, pageSize }`. Times are ISO-8601 UTC.",
  "",
  "Fields, values and endpoints are added over time; none is renamed or removed. Tolerate fields you do not know.",
].join("\n");

const built = new WeakMap<readonly RouteSpec[], { document: OpenApiDocument; json: string }>();

function build(routes: readonly RouteSpec[]) {
  let entry = built.get(routes);
  if (!entry) {
    const document = buildOpenApiDocument({
      routes,
      title: "Syncpoint API",
      version: appVersion(),
      description: DESCRIPTION,
      basePath: API_BASE_PATH,
      sessionCookie: SESSION_COOKIE,
      tags: API_TAGS,
      notes: ROUTE_NOTES,
      schemaNames: contracts,
    });
    entry = { document, json: JSON.stringify(document) };
    built.set(routes, entry);
  }
  return entry;
}

/** The document of `routes`, built on first use. */
export function openApiDocument(routes: readonly RouteSpec[]): OpenApiDocument {
  return build(routes).document;
}

/** The document as the JSON text GET /api/openapi.json sends, serialized once. */
export function openApiJson(routes: readonly RouteSpec[]): string {
  return build(routes).json;
}
