// The REST API as an OpenAPI 3.1 document, generated from the routes' zod schemas: the contracts are the one source of
// truth, and nothing here restates a field. The server builds the document from its route registry
// (apps/server/src/openapi/document.ts) and serves it at GET /api/openapi.json; the console's API reference reads it.
// OpenAPI 3.1 schemas are JSON Schema 2020-12, which is what z.toJSONSchema writes.
import { z } from "zod";
import { ROLE_PERMISSIONS } from "./auth.ts";
import { ERROR_CODES, ErrorEnvelope, FIELD_REASONS, FieldError, type ErrorCode } from "./errors.ts";
import { ROLES, type RoleName } from "./vocabulary.ts";

export type OpenApiMethod = "get" | "post" | "put" | "patch" | "delete";

/** What the document needs to know of a route; the server's RouteSpec has this shape. */
export interface OpenApiRoute {
  method: OpenApiMethod;
  /** The Express path below the base path, e.g. `/sites/:code`. */
  path: string;
  /** `public`, `authenticated` or a permission. */
  access: string;
  summary: string;
  audit?: { action: string } | undefined;
  body?: z.ZodType | undefined;
  /** A request body that is not JSON (an upload): its media types and what it holds. */
  rawBody?: { mediaTypes: readonly string[]; description: string } | undefined;
  query?: z.ZodType | undefined;
  params?: z.ZodType | undefined;
  response?: z.ZodType | undefined;
}

/** What a route does not declare about its answers, keyed `METHOD /path` (as the server's routeKey writes it). */
export interface OpenApiRouteNotes {
  /** The success status, when it is not 200 (with a response schema) or 204 (without one). */
  status?: number;
  /** A success body that is not JSON: its media type and what it holds. */
  media?: { type: string; description: string };
  /** Headers of the success answer: name → what it carries. */
  headers?: Record<string, string>;
  /** Another status answered with the success schema (health's 503), and why. */
  alternative?: { status: number; description: string };
  /** Error statuses this route answers besides the common ones, with their error codes. */
  errors?: Partial<Record<number, readonly ErrorCode[]>>;
}

export interface OpenApiTag {
  name: string;
  description: string;
  /** Paths (below the base path) of the tag's routes: a route takes the tag of its longest matching prefix. */
  prefixes: readonly string[];
}

export interface OpenApiOptions {
  routes: readonly OpenApiRoute[];
  title: string;
  version: string;
  description: string;
  /** Where the routes are mounted, e.g. `/api`. */
  basePath: string;
  /** The name of the session cookie. */
  sessionCookie: string;
  tags: readonly OpenApiTag[];
  notes?: Readonly<Record<string, OpenApiRouteNotes>>;
  /**
   * Named schemas, e.g. the contracts module itself (`import * as contracts`): every zod schema among the values
   * becomes a component under its export name wherever it is used, instead of being repeated inline.
   */
  schemaNames?: Readonly<Record<string, unknown>>;
}

/** A JSON Schema 2020-12 object (as OpenAPI 3.1 uses it), with the members the console reads. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  [keyword: string]: unknown;
}

export interface OpenApiParameter {
  name: string;
  in: "path" | "query";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiMediaType {
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, OpenApiMediaType>;
}

export interface OpenApiReference {
  $ref: string;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  /** Absent: the document's (a session or a token); empty: anyone. */
  security?: Record<string, string[]>[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; description?: string; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse | OpenApiReference>;
  /** Who may call it: `public`, `authenticated` or the permission it needs. */
  "x-syncpoint-access": string;
  /** The roles that may call it (every role for `public` and `authenticated`). */
  "x-syncpoint-roles": RoleName[];
  /** The audit action a call records (every mutating route). */
  "x-syncpoint-audit-action"?: string;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string; license?: { name: string; identifier?: string } };
  tags: { name: string; description: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, Partial<Record<OpenApiMethod, OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, OpenApiResponse>;
    securitySchemes: Record<string, Record<string, string>>;
  };
}

/** The answer of GET /api/openapi.json, as far as the route declares it (the rest is the OpenAPI 3.1 schema's). */
export const OpenApiDocumentDto = z.looseObject({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export const OPENAPI_VERSION = "3.1.0";
export const OPENAPI_SECURITY_SCHEMES = { session: "sessionCookie", token: "apiToken" } as const;

const HTTP_METHODS: readonly OpenApiMethod[] = ["get", "post", "put", "patch", "delete"];

/**
 * An Express path as an OpenAPI path template: `/sites/:code` → `/sites/{code}` (names may be quoted, `:"name"`).
 * Wildcards (`*name`) and optional groups (`{…}`) have no OpenAPI form and throw.
 */
export function toOpenApiPath(expressPath: string): string {
  if (!expressPath.startsWith("/")) throw new Error(`${expressPath}: a route path starts with "/"`);
  if (/[*{}()?+]/.test(expressPath)) {
    throw new Error(`${expressPath}: wildcards and optional parts have no OpenAPI path form`);
  }
  const template = expressPath.replace(/:(?:"([^"]+)"|([A-Za-z_$][\w$]*))/g, (_m, quoted?: string, plain?: string) => {
    const name = quoted ?? plain!;
    return `{${name}}`;
  });
  if (template.includes(":")) throw new Error(`${expressPath}: a ":" that starts no parameter name`);
  return template;
}

/** The path parameters of an Express path, in order. */
export function pathParameterNames(expressPath: string): string[] {
  return [...toOpenApiPath(expressPath).matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

/** `GET /sync-runs/:id/log` → `getSyncRunsByIdLog`: unique as long as method and path are. */
export function operationIdOf(route: Pick<OpenApiRoute, "method" | "path">): string {
  const words = route.path
    .split("/")
    .filter(Boolean)
    .flatMap((segment) => {
      const parameter = /^:"?([^"]+)"?$/.exec(segment);
      const parts = (parameter ? parameter[1]! : segment).split(/[^A-Za-z0-9]+/).filter(Boolean);
      return parameter ? ["By", ...parts] : parts;
    });
  return route.method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}

/** The roles an access rule admits. */
export function rolesFor(access: string): RoleName[] {
  if (access === "public" || access === "authenticated") return [...ROLES];
  return ROLES.filter((role) => (ROLE_PERMISSIONS[role] as readonly string[]).includes(access));
}

type Io = "input" | "output";
type Meta = { id?: string; description?: string };

const SAFE_INTEGER_BOUNDS: Record<string, number> = {
  minimum: Number.MIN_SAFE_INTEGER,
  maximum: Number.MAX_SAFE_INTEGER,
};

/**
 * Turns zod schemas into JSON Schema, with every named schema a component: converted per direction (a request's
 * input type, a response's output type, which differ where there are defaults, coercions and transforms), and named
 * `NameInput` where a schema's input form differs from its output form.
 */
class SchemaConverter {
  private readonly registry = z.registry<Meta>();
  private readonly defs: Record<Io, Map<string, JsonSchema>> = { input: new Map(), output: new Map() };
  /** Every converted schema (roots and definitions), whose `#/$defs/…` references `finish` rewrites. */
  private readonly converted: { io: Io; schema: JsonSchema }[] = [];

  /** The names given so far (a registry cannot be enumerated). */
  private readonly given = new Set<string>();

  /** Names `schema` `id` unless the name or the schema is taken (the first name wins). */
  nameOnce(schema: z.ZodType, id: string): void {
    if (this.given.has(id) || this.registry.get(schema)?.id !== undefined) return;
    this.registry.add(schema, { ...this.registry.get(schema), id });
    this.given.add(id);
  }

  describe(schema: z.ZodType, description: string): void {
    this.registry.add(schema, { ...this.registry.get(schema), description });
  }

  /** The JSON Schema of `schema` (references to named schemas still local: `#/$defs/Name`). `where` names it in errors. */
  convert(schema: z.ZodType, io: Io, where: string): JsonSchema {
    const json = z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io,
      metadata: this.registry,
      // A transform's output, a Date, a bigint… have no JSON Schema. The document must still be whole (an endpoint that
      // failed on one odd field would hide the whole API), so such a value is documented as "any value" with the
      // reason; the route's summary says what it is. Today's contracts have none: the tests would show one appearing.
      unrepresentable: ({ message }) => ({ description: `Any value: ${message.replace(/\.$/, "")}.` }),
      override: ({ zodSchema, jsonSchema }) => {
        const def = zodSchema._zod.def as { type: string; catchall?: unknown };
        // Zod marks a response object closed (its parser strips unknown keys), but the API may add fields to an
        // answer (DESIGN.md: add, never rename or remove): a client must not reject one it does not know yet.
        if (io === "output" && def.type === "object" && def.catchall === undefined) {
          delete jsonSchema.additionalProperties;
        }
        // Descriptions given with .describe()/.meta() live in zod's global registry, which `metadata` replaces here.
        const meta = z.globalRegistry.get(zodSchema);
        if (meta?.description !== undefined && jsonSchema.description === undefined) {
          jsonSchema.description = meta.description;
        }
      },
    }) as JsonSchema;
    const { $schema: _dialect, $defs, ...root } = json;
    for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      if (name.startsWith("__schema")) {
        throw new Error(`${where}: a recursive schema without a name; export it from @syncpoint/contracts`);
      }
      const known = this.defs[io].get(name);
      if (known === undefined) {
        this.defs[io].set(name, def);
        this.converted.push({ io, schema: def });
      } else if (JSON.stringify(known) !== JSON.stringify(def)) {
        throw new Error(`${where}: two different schemas are named ${name}`);
      }
    }
    this.converted.push({ io, schema: root });
    return root;
  }

  /** A converted schema with its top-level reference followed (to list an object's properties). */
  resolve(schema: JsonSchema, io: Io): JsonSchema {
    const ref = schema.$ref;
    if (ref === undefined || !ref.startsWith("#/$defs/")) return schema;
    return this.resolve(this.defs[io].get(ref.slice("#/$defs/".length)) ?? {}, io);
  }

  /** Something else inside a converted schema that holds references of its own (a parameter's schema). */
  track(schema: JsonSchema, io: Io): void {
    this.converted.push({ io, schema });
  }

  /** The components, with every reference pointing at them. */
  finish(): Record<string, JsonSchema> {
    const refsOf = (value: unknown, into: Set<string> = new Set()): Set<string> => {
      if (Array.isArray(value)) value.forEach((item) => refsOf(item, into));
      else if (value !== null && typeof value === "object") {
        for (const [key, child] of Object.entries(value)) {
          if (key === "$ref" && typeof child === "string" && child.startsWith("#/$defs/")) {
            into.add(child.slice("#/$defs/".length));
          } else refsOf(child, into);
        }
      }
      return into;
    };
    // A schema named in both directions is one component when both forms are the same all the way down.
    const sameBothWays = (name: string, seen: Set<string> = new Set()): boolean => {
      if (seen.has(name)) return true;
      seen.add(name);
      const input = this.defs.input.get(name);
      const output = this.defs.output.get(name);
      if (input === undefined || output === undefined) return input === output;
      if (JSON.stringify(input) !== JSON.stringify(output)) return false;
      return [...refsOf(input)].every((ref) => sameBothWays(ref, seen));
    };
    // Decided before any reference is rewritten: the comparison reads the definitions as converted.
    const inputNames = new Map(
      [...this.defs.input.keys()].map((name) => [
        name,
        this.defs.output.has(name) && !sameBothWays(name) ? `${name}Input` : name,
      ]),
    );
    const componentName = (io: Io, name: string) => (io === "input" ? (inputNames.get(name) ?? name) : name);

    const schemas: Record<string, JsonSchema> = {};
    for (const io of ["output", "input"] as const) {
      for (const [name, def] of this.defs[io]) {
        const component = componentName(io, name);
        if (schemas[component] !== undefined && schemas[component] !== def && io === "output") {
          throw new Error(`two schemas would be the component ${component}`);
        }
        schemas[component] ??= def;
      }
    }
    const rewrite = (value: unknown, io: Io): void => {
      if (Array.isArray(value)) value.forEach((item) => rewrite(item, io));
      else if (value !== null && typeof value === "object") {
        const object = value as Record<string, unknown>;
        for (const [key, child] of Object.entries(object)) {
          if (key === "$ref" && typeof child === "string" && child.startsWith("#/$defs/")) {
            object.$ref = `#/components/schemas/${componentName(io, child.slice("#/$defs/".length))}`;
          } else if (key in SAFE_INTEGER_BOUNDS && child === SAFE_INTEGER_BOUNDS[key]) {
            // z.number().int() bounds every integer to the safe range: true, but noise on every count and port.
            delete object[key];
          } else rewrite(child, io);
        }
      }
    };
    const done = new Set<JsonSchema>();
    for (const { io, schema } of this.converted) {
      if (done.has(schema)) continue;
      done.add(schema);
      rewrite(schema, io);
    }
    return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  }
}

const ERROR_RESPONSES = {
  ValidationFailed: {
    status: 400,
    codes: ["VALIDATION_FAILED", "BAD_REQUEST"],
    text: "The request is not valid: `details.fields` names each invalid field (`body.name`, `query.page`, …), with its `code` (a `FieldReason`) and `params` for a client to word it, and `message` in English.",
  },
  Unauthenticated: {
    status: 401,
    codes: ["UNAUTHENTICATED", "INVALID_TOKEN"],
    text: "No session or token, or the API token is unknown, revoked or expired.",
  },
  Forbidden: {
    status: 403,
    codes: ["FORBIDDEN", "PASSWORD_CHANGE_REQUIRED"],
    text: "The caller's role lacks the permission, the session must change its password first, or a cookie-authenticated request came from another origin.",
  },
  NotFound: { status: 404, codes: ["NOT_FOUND"], text: "No resource with this id or code." },
  UnsupportedMediaType: {
    status: 415,
    codes: ["UNSUPPORTED_MEDIA_TYPE"],
    text: "A cookie-authenticated mutation must send its body as application/json (a POST at least `{}`).",
  },
  Error: {
    status: 0,
    codes: ["PAYLOAD_TOO_LARGE", "SERVICE_UNAVAILABLE", "INTERNAL_ERROR"],
    text: "Any other failure, in the same error envelope; a 5xx is never the caller's mistake.",
  },
} as const satisfies Record<string, { status: number; codes: readonly ErrorCode[]; text: string }>;

const codeList = (codes: readonly ErrorCode[]) => codes.map((code) => `\`${code}\``).join(", ");

/** The OpenAPI 3.1 document of `routes`. Throws when a route cannot be described (the tests build it). */
export function buildOpenApiDocument(options: OpenApiOptions): OpenApiDocument {
  const converter = new SchemaConverter();

  // The error envelope of packages/contracts, its code documented code by code. The list stays open (a plain
  // string too): codes are added over time, and a client must not reject one it does not know yet.
  const codeSchemas = Object.entries(ERROR_CODES).map(([code, meaning]) => {
    const literal = z.literal(code);
    converter.describe(literal, meaning);
    return literal;
  });
  const later = z.string();
  converter.describe(later, "A code added after this document was written.");
  const ErrorCodeSchema = z.union([...codeSchemas, later]);
  const Envelope = ErrorEnvelope.extend({ error: ErrorEnvelope.shape.error.extend({ code: ErrorCodeSchema }) });
  // Each invalid field's reason, documented reason by reason, the list open the same way.
  const reasonSchemas = Object.entries(FIELD_REASONS).map(([reason, meaning]) => {
    const literal = z.literal(reason);
    converter.describe(literal, meaning);
    return literal;
  });
  const laterReason = z.string();
  converter.describe(laterReason, "A reason added after this document was written: show `message`.");
  const FieldReasonSchema = z.union([...reasonSchemas, laterReason]);
  const DocumentedFieldError = FieldError.extend({ code: FieldReasonSchema.optional() });
  const ValidationEnvelope = ErrorEnvelope.extend({
    error: ErrorEnvelope.shape.error.extend({
      code: z.enum(["VALIDATION_FAILED", "BAD_REQUEST"]),
      details: z.object({ fields: z.array(DocumentedFieldError) }).optional(),
    }),
  });
  converter.nameOnce(ErrorCodeSchema, "ErrorCode");
  converter.nameOnce(Envelope, "ErrorEnvelope");
  converter.nameOnce(ValidationEnvelope, "ValidationErrorEnvelope");
  converter.nameOnce(FieldReasonSchema, "FieldReason");
  converter.nameOnce(DocumentedFieldError, "FieldError");
  for (const [name, value] of Object.entries(options.schemaNames ?? {})) {
    if (/^[A-Z]/.test(name) && value instanceof z.ZodType) converter.nameOnce(value, name);
  }
  const envelopeRef = converter.convert(Envelope, "output", "the error envelope");
  const validationRef = converter.convert(ValidationEnvelope, "output", "the validation error envelope");

  const responses: Record<string, OpenApiResponse> = {};
  for (const [name, { codes, text }] of Object.entries(ERROR_RESPONSES)) {
    responses[name] = {
      description: `${text} Codes: ${codeList(codes)}.`,
      content: { "application/json": { schema: name === "ValidationFailed" ? validationRef : envelopeRef } },
    };
  }
  const errorResponse = (codes: readonly ErrorCode[]): OpenApiResponse => ({
    description: codes.map((code) => `\`${code}\`: ${ERROR_CODES[code]}`).join(" "),
    content: { "application/json": { schema: envelopeRef } },
  });

  const notes = options.notes ?? {};
  const keys = new Set(options.routes.map((r) => `${r.method.toUpperCase()} ${r.path}`));
  for (const key of Object.keys(notes)) {
    if (!keys.has(key)) throw new Error(`notes for ${key}, which is not a route`);
  }

  const tagOf = (path: string): string => {
    let best: { tag: string; length: number } | undefined;
    for (const tag of options.tags) {
      for (const prefix of tag.prefixes) {
        const matches = path === prefix || path.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`);
        if (matches && prefix.length > (best?.length ?? -1)) best = { tag: tag.name, length: prefix.length };
      }
    }
    // A new area nobody tagged yet still gets a group: its first path segment.
    return best?.tag ?? path.split("/").find(Boolean) ?? "other";
  };

  const paths: OpenApiDocument["paths"] = {};
  const operationIds = new Set<string>();
  const usedTags = new Set<string>();
  for (const route of options.routes) {
    const key = `${route.method.toUpperCase()} ${route.path}`;
    if (!HTTP_METHODS.includes(route.method)) throw new Error(`${key}: no OpenAPI method ${route.method}`);
    const note = notes[key] ?? {};
    const operationId = operationIdOf(route);
    if (operationIds.has(operationId)) throw new Error(`${key}: operationId ${operationId} is taken`);
    operationIds.add(operationId);
    const tag = tagOf(route.path);
    usedTags.add(tag);

    const parameters: OpenApiParameter[] = [];
    const pathNames = pathParameterNames(route.path);
    const paramsSchema = route.params
      ? converter.resolve(converter.convert(route.params, "input", `${key} params`), "input")
      : {};
    for (const name of Object.keys(paramsSchema.properties ?? {})) {
      if (!pathNames.includes(name)) throw new Error(`${key}: params.${name} is not in the path`);
    }
    for (const name of pathNames) {
      const schema = paramsSchema.properties?.[name] ?? { type: "string" };
      converter.track(schema, "input");
      parameters.push({ name, in: "path", required: true, schema, ...describedBy(schema) });
    }
    if (route.query) {
      const query = converter.resolve(converter.convert(route.query, "input", `${key} query`), "input");
      if (query.type !== "object") throw new Error(`${key}: the query schema is not an object`);
      const required = new Set(query.required ?? []);
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        converter.track(schema, "input");
        parameters.push({ name, in: "query", required: required.has(name), schema, ...describedBy(schema) });
      }
    }

    let requestBody: OpenApiOperation["requestBody"];
    if (route.body) {
      const schema = converter.convert(route.body, "input", `${key} body`);
      requestBody = { required: !acceptsEmptyObject(route.body), content: { "application/json": { schema } } };
    } else if (route.rawBody) {
      const binary: JsonSchema = { type: "string", format: "binary" };
      requestBody = {
        required: true,
        description: route.rawBody.description,
        content: Object.fromEntries(route.rawBody.mediaTypes.map((type) => [type, { schema: binary }])),
      };
    }

    const operationResponses: OpenApiOperation["responses"] = {};
    const successStatus = note.status ?? (route.response || note.media ? 200 : 204);
    const success: OpenApiResponse = { description: successDescription(successStatus) };
    let successSchema: JsonSchema | undefined;
    if (note.media) {
      success.description = note.media.description;
      success.content = { [note.media.type]: { schema: { type: "string" } } };
    } else if (route.response) {
      successSchema = converter.convert(route.response, "output", `${key} response`);
      success.content = { "application/json": { schema: successSchema } };
    }
    if (note.headers) {
      success.headers = Object.fromEntries(
        Object.entries(note.headers).map(([name, description]) => [name, { description, schema: { type: "string" } }]),
      );
    }
    operationResponses[String(successStatus)] = success;
    if (note.alternative) {
      operationResponses[String(note.alternative.status)] = {
        description: note.alternative.description,
        ...(success.content ? { content: success.content } : {}),
      };
    }

    const common: (keyof typeof ERROR_RESPONSES)[] = [];
    if (route.body || route.query || route.params) common.push("ValidationFailed");
    if (route.access !== "public") common.push("Unauthenticated", "Forbidden");
    if (pathNames.length > 0) common.push("NotFound");
    // The CSRF guard: a cookie-authenticated POST, or any request with a body, must be JSON.
    if (route.method === "post" || route.body) common.push("UnsupportedMediaType");
    for (const name of common) {
      operationResponses[String(ERROR_RESPONSES[name].status)] = { $ref: `#/components/responses/${name}` };
    }
    for (const [status, codes] of Object.entries(note.errors ?? {})) {
      const shared = Object.values(ERROR_RESPONSES).find((r) => String(r.status) === status);
      const all = [...(shared && operationResponses[status] ? shared.codes : []), ...(codes ?? [])];
      operationResponses[status] = errorResponse(all);
    }
    operationResponses.default = { $ref: "#/components/responses/Error" };

    const operation: OpenApiOperation = {
      operationId,
      summary: route.summary,
      description: accessSentence(route.access) + (route.audit ? ` Audited as \`${route.audit.action}\`.` : ""),
      tags: [tag],
      ...(route.access === "public" ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses: operationResponses,
      "x-syncpoint-access": route.access,
      "x-syncpoint-roles": rolesFor(route.access),
      ...(route.audit ? { "x-syncpoint-audit-action": route.audit.action } : {}),
    };
    const path = `${options.basePath}${toOpenApiPath(route.path)}`;
    const item = (paths[path] ??= {});
    if (item[route.method]) throw new Error(`${key} is registered twice`);
    item[route.method] = operation;
  }

  const tags = options.tags
    .filter((tag) => usedTags.has(tag.name))
    .map(({ name, description }) => ({ name, description }));
  for (const name of usedTags) if (!tags.some((t) => t.name === name)) tags.push({ name, description: name });

  const schemas = usedSchemas(converter.finish(), [paths, responses]);
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: options.title,
      version: options.version,
      description: options.description,
      license: { name: "MIT", identifier: "MIT" },
    },
    tags,
    security: [{ [OPENAPI_SECURITY_SCHEMES.session]: [] }, { [OPENAPI_SECURITY_SCHEMES.token]: [] }],
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: {
        [OPENAPI_SECURITY_SCHEMES.session]: {
          type: "apiKey",
          in: "cookie",
          name: options.sessionCookie,
          description: `The session cookie POST ${options.basePath}/auth/login sets (httpOnly, SameSite=Lax). Mutations sent with it must be application/json (a POST at least \`{}\`) and, with an Origin header, same-origin.`,
        },
        [OPENAPI_SECURITY_SCHEMES.token]: {
          type: "http",
          scheme: "bearer",
          description:
            "An API token (Administration › Security › API Tokens) as `Authorization: Bearer <token>`: it acts with its owner's role. Requests with a token are exempt from the cookie rules.",
        },
      },
    },
  };
}

/**
 * The components some operation reaches. A query or params schema is named like any other, but it is spelled out as
 * parameters rather than referenced, so its component would only add noise.
 */
function usedSchemas(schemas: Record<string, JsonSchema>, roots: unknown[]): Record<string, JsonSchema> {
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        const name =
          key === "$ref" && typeof child === "string" ? /^#\/components\/schemas\/(.+)$/.exec(child)?.[1] : undefined;
        if (name === undefined) visit(child);
        else if (!used.has(name)) {
          used.add(name);
          visit(schemas[name]);
        }
      }
    }
  };
  roots.forEach(visit);
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
}

function describedBy(schema: JsonSchema): { description?: string } {
  return typeof schema.description === "string" ? { description: schema.description } : {};
}

/** Whether a body may be left out (the server reads a missing body as `{}`). */
function acceptsEmptyObject(schema: z.ZodType): boolean {
  try {
    return schema.safeParse({}).success;
  } catch {
    return false; // an asynchronous refinement: take the body as required
  }
}

function successDescription(status: number): string {
  switch (status) {
    case 201:
      return "Created.";
    case 202:
      return "Accepted: the work is queued.";
    case 204:
      return "Done; no content.";
    default:
      return "OK.";
  }
}

function accessSentence(access: string): string {
  if (access === "public") return "Anyone may call this, signed in or not.";
  if (access === "authenticated") return "Any signed-in user or API token may call this.";
  const roles = rolesFor(access);
  return `Needs the permission \`${access}\` (roles: ${roles.join(", ")}).`;
}
