// Request generators for the API fuzz test: values derived from a route's zod schema (through its JSON Schema), then
// mutated the way a careless or hostile client would — wrong types, boundary numbers, empty and huge strings, unicode,
// NUL and lone surrogates, extra fields, missing fields, arrays where objects belong — plus plain random JSON.
import fc from "fast-check";
import { z } from "zod";

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  default?: unknown;
};

export const HUGE_STRING = "x".repeat(100_000);

/** Values that break careless code: boundaries, wrong types, odd text. */
export const NASTY_VALUES: readonly unknown[] = [
  0,
  -1,
  1,
  -0,
  0.5,
  1e-300,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 63,
  1e308,
  -1e308,
  "NaN",
  "Infinity",
  "-Infinity",
  "-1",
  "0",
  "1e309",
  "0x10",
  "",
  " ",
  "\t\n",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "a\udfffb",
  "😀".repeat(20),
  "İıßẞ",
  "\u202eRTL",
  "ﷺ",
  "%",
  "%00",
  "_",
  "\\",
  "a\\",
  "%\\_",
  "'",
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  "<script>alert(1)</script>",
  "${jndi:ldap://x/a}",
  "../../../etc/passwd",
  "__proto__",
  "constructor",
  "null",
  "true",
  "[]",
  "{}",
  "2024-02-30T25:61:00Z",
  "0000-00-00T00:00:00Z",
  "9999-12-31T23:59:59.999Z",
  "-271821-04-20T00:00:00.000Z",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "http://user:secret@127.0.0.1/",
  "javascript:alert(1)",
  "file:///etc/passwd",
  "ftp://example.com/",
  "http://[::1]:8530/",
  "CAS",
  "cas",
  "P01",
  "ZZZ",
  HUGE_STRING,
  "é".repeat(5_000),
  true,
  false,
  null,
  [],
  {},
  [null],
  [1, "a", {}],
  { a: 1 },
  JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
  [[[[[[[[[[]]]]]]]]]],
];

export const nasty: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NASTY_VALUES) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  if (schema.$ref === "#") return root;
  const name = schema.$ref.replace(/^#\/\$defs\//, "");
  return root.$defs?.[name] ?? {};
}

function patternString(schema: JsonSchema): fc.Arbitrary<string> | undefined {
  if (!schema.pattern) return undefined;
  try {
    return fc.stringMatching(new RegExp(schema.pattern));
  } catch {
    // Lookarounds and the like are beyond fast-check's regex support: plain strings then.
    return undefined;
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  // zod's own pattern is exact (its uuid accepts only RFC versions and variants); the format is the fallback.
  const matching = patternString(schema);
  if (matching) return matching;
  switch (schema.format) {
    case "uuid":
      return fc.uuid();
    case "email":
      return fc.emailAddress();
    case "uri":
      return fc.webUrl();
    case "date-time":
      return fc
        .date({ min: new Date("1990-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
        .map((d) => d.toISOString());
    case "date":
      return fc
        .date({ min: new Date("1990-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
  }
  const minLength = schema.minLength ?? 0;
  return fc.string({ minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 30, 30)) });
}

/**
 * Values that exist in the database under test, by field name (`code`, `id`, `parentCode`…): a random UUID never
 * names a real run, so without them the handlers behind "not found" would never run.
 */
export type Hints = Readonly<Record<string, readonly unknown[]>>;

/** Values the schema accepts (mostly: refinements the JSON Schema cannot say are not honoured). */
export function valid(
  schema: JsonSchema,
  root: JsonSchema = schema,
  depth = 0,
  hints: Hints = {},
): fc.Arbitrary<unknown> {
  const s = resolve(schema, root);
  if (depth > 6) return fc.constant(null);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const union = s.anyOf ?? s.oneOf;
  if (union && union.length > 0) return fc.oneof(...union.map((member) => valid(member, root, depth + 1, hints)));
  if (s.allOf && s.allOf.length > 0) return valid(s.allOf[0]!, root, depth + 1, hints);
  const type = Array.isArray(s.type) ? s.type : s.type ? [s.type] : undefined;
  if (type && type.length > 1) return fc.oneof(...type.map((t) => valid({ ...s, type: t }, root, depth, hints)));
  switch (type?.[0]) {
    case "string":
      return stringFor(s);
    case "integer": {
      const min = Math.max(s.minimum ?? -1_000_000, Number.MIN_SAFE_INTEGER);
      const max = Math.min(s.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER);
      return fc.integer({ min, max });
    }
    case "number":
      return fc.double({
        min: s.minimum ?? s.exclusiveMinimum ?? -1e9,
        max: s.maximum ?? s.exclusiveMaximum ?? 1e9,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const items = s.items ? valid(s.items, root, depth + 1, hints) : fc.jsonValue({ maxDepth: 1 });
      const minLength = s.minItems ?? 0;
      return fc.array(items, { minLength, maxLength: Math.max(minLength, Math.min(s.maxItems ?? 4, 4)) });
    }
    case "object": {
      const properties = s.properties ?? {};
      const model = Object.fromEntries(
        Object.entries(properties).map(([key, value]) => {
          const generated = valid(value, root, depth + 1, hints);
          const known = hints[key];
          return [key, known?.length ? fc.oneof(fc.constantFrom(...known), generated) : generated];
        }),
      );
      const required = (s.required ?? []).filter((key) => key in model);
      const record = fc.record(model, { requiredKeys: required });
      if (typeof s.additionalProperties === "object" && Object.keys(properties).length === 0) {
        return fc.dictionary(fc.string({ maxLength: 12 }), valid(s.additionalProperties, root, depth + 1, hints), {
          maxKeys: 4,
        });
      }
      return record;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...prefix, i], out));
  else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...prefix, key], out);
  }
  return out;
}

function setAt(root: unknown, path: Path, next: (current: unknown) => unknown | typeof REMOVE): unknown {
  if (path.length === 0) {
    const value = next(root);
    return value === REMOVE ? undefined : value;
  }
  const copy: unknown = structuredClone(root);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  const value = next(parent[last]);
  if (value === REMOVE) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = value;
  return copy;
}

const REMOVE = Symbol("remove");

type Mutation = "replace" | "remove" | "extra" | "wrap-array" | "stringify" | "numberish";

/** A valid value with one thing wrong in it. */
export function mutated(base: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      base,
      fc.constantFrom<Mutation>(
        "replace",
        "replace",
        "replace",
        "remove",
        "extra",
        "wrap-array",
        "stringify",
        "numberish",
      ),
      nasty,
      fc.nat(),
      fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("__proto__", "constructor", "id", "")),
    )
    .map(([value, mutation, bad, pick, key]) => {
      const paths = pathsOf(value);
      const path = paths[pick % paths.length]!;
      switch (mutation) {
        case "replace":
          return setAt(value, path, () => bad);
        case "remove":
          return setAt(value, path, () => (path.length === 0 ? {} : REMOVE));
        case "extra":
          return setAt(value, path, (current) =>
            current !== null && typeof current === "object" && !Array.isArray(current)
              ? { ...current, [key]: bad }
              : bad,
          );
        case "wrap-array":
          return setAt(value, path, (current) => [current]);
        case "stringify":
          return setAt(value, path, (current) => JSON.stringify(current) ?? "undefined");
        case "numberish":
          return setAt(value, path, (current) =>
            typeof current === "number" ? String(current) : typeof current === "string" ? Number(current) : 0,
          );
      }
    });
}

/** What a route's body or query receives: valid, near-valid, or junk. */
export function requestValue(schema: z.ZodType | undefined, hints: Hints = {}): fc.Arbitrary<unknown> {
  if (!schema) return fc.oneof(fc.constant({}), fc.jsonValue({ maxDepth: 2 }));
  const json = jsonSchemaOf(schema);
  const base = valid(json, json, 0, hints);
  return fc.oneof(
    { weight: 3, arbitrary: base },
    { weight: 6, arbitrary: mutated(base) },
    { weight: 1, arbitrary: nasty },
  );
}

/** A value as it travels in a query string or a path: text. */
export function asText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  return JSON.stringify(value) ?? String(value);
}

/** An object as a query string; arrays repeat the key, objects travel as JSON. */
export function toQueryString(value: unknown): string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return new URLSearchParams({ q: asText(value).slice(0, 8_000) }).toString();
  }
  const params = new URLSearchParams();
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    // A URL longer than Node's 16 KB header limit is refused by Node itself, before the application sees it.
    for (const one of Array.isArray(item) ? item : [item]) params.append(key, asText(one).slice(0, 4_000));
  }
  return params.toString();
}

/** Query strings no encoder would produce. */
export const RAW_QUERIES: readonly string[] = [
  "%",
  "%zz=1",
  "a=%E0%A4%A",
  "page=1&page=2",
  "page[]=1",
  "page[a]=1",
  "__proto__[x]=1",
  "constructor[prototype][x]=1",
  "sort=-",
  "&&&===",
  "search=%00",
  "search=%ff%fe",
  "pageSize=0x10",
  "page=1e3",
  "page=%2B1",
  "site=C%00S",
];

/** Path segments no encoder would produce. */
export const RAW_SEGMENTS: readonly string[] = ["%", "%zz", "%E0%A4%A", "%00", "%2e%2e", "%2F", ";", "%ff", "~", "*"];
