// What the API Reference page shows of the server's OpenAPI document: its operations, grouped by tag in the
// document's order, each with what a caller needs at a glance (method, path, summary, who may call it, the parameter
// and body field names). Types only from the contracts: the page's chunk carries no schema code.
import type { JsonSchema, OpenApiDocument, OpenApiMethod, RoleName } from "@syncpoint/contracts";

export interface ReferenceField {
  name: string;
  required: boolean;
}

export interface ReferenceParameter extends ReferenceField {
  in: "path" | "query";
}

export interface ReferenceOperation {
  /** `POST /api/sync`: unique. */
  key: string;
  method: OpenApiMethod;
  path: string;
  summary: string;
  tag: string;
  /** `public`, `authenticated` or a permission. */
  access: string;
  roles: RoleName[];
  parameters: ReferenceParameter[];
  /** The request body's fields; undefined when the operation takes no body. */
  body: ReferenceField[] | undefined;
}

export interface ReferenceGroup {
  tag: string;
  operations: ReferenceOperation[];
}

const METHODS: readonly OpenApiMethod[] = ["get", "post", "put", "patch", "delete"];
const COMPONENT = "#/components/schemas/";

/** A schema with its component reference followed (a broken or foreign reference gives an empty schema). */
function resolve(document: OpenApiDocument, schema: JsonSchema | undefined, depth = 0): JsonSchema {
  if (!schema) return {};
  if (schema.$ref === undefined) return schema;
  if (depth > 20 || !schema.$ref.startsWith(COMPONENT)) return {};
  return resolve(document, document.components?.schemas?.[schema.$ref.slice(COMPONENT.length)], depth + 1);
}

/**
 * The field names of a body schema: an object's properties, or — for a choice of objects (`oneOf`/`anyOf`, e.g. an
 * email or a webhook subscription) — every branch's, required only where every branch requires it.
 */
export function bodyFields(document: OpenApiDocument, schema: JsonSchema | undefined): ReferenceField[] {
  const resolved = resolve(document, schema);
  const branches = resolved.oneOf ?? resolved.anyOf ?? resolved.allOf;
  if (branches) {
    const lists = branches.map((branch) => bodyFields(document, branch));
    const names = [...new Set(lists.flat().map((field) => field.name))];
    const requiredIn = (list: ReferenceField[], name: string) => list.some((f) => f.name === name && f.required);
    return names.map((name) => ({
      name,
      // allOf: every part applies; oneOf/anyOf: a field is required only if every choice requires it.
      required: resolved.allOf
        ? lists.some((list) => requiredIn(list, name))
        : lists.every((list) => requiredIn(list, name)),
    }));
  }
  const required = new Set(resolved.required ?? []);
  return Object.keys(resolved.properties ?? {}).map((name) => ({ name, required: required.has(name) }));
}

/** Every operation of the document, in its path order. */
export function referenceOperations(document: OpenApiDocument): ReferenceOperation[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item?.[method];
      if (!operation) return [];
      const json = operation.requestBody?.content?.["application/json"];
      return [
        {
          key: `${method.toUpperCase()} ${path}`,
          method,
          path,
          summary: operation.summary ?? "",
          tag: operation.tags?.[0] ?? "",
          access: operation["x-syncpoint-access"] ?? "authenticated",
          roles: operation["x-syncpoint-roles"] ?? [],
          parameters: (operation.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: p.required })),
          body: operation.requestBody ? bodyFields(document, json?.schema) : undefined,
        },
      ];
    }),
  );
}

/** The operations whose method, path, summary, access or tag contain every word of `text` (any case). */
export function filterOperations(operations: readonly ReferenceOperation[], text: string): ReferenceOperation[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...operations];
  return operations.filter((operation) => {
    const haystack = [operation.method, operation.path, operation.summary, operation.access, operation.tag]
      .join(" ")
      .toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

/** The operations by tag, tags in the document's order (any tag it does not list after them). */
export function groupByTag(document: OpenApiDocument, operations: readonly ReferenceOperation[]): ReferenceGroup[] {
  const order = (document.tags ?? []).map((tag) => tag.name);
  const groups = new Map<string, ReferenceOperation[]>();
  for (const operation of operations) groups.set(operation.tag, [...(groups.get(operation.tag) ?? []), operation]);
  const rank = (tag: string) => (order.includes(tag) ? order.indexOf(tag) : order.length);
  return [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b)).map(([tag, list]) => ({ tag, operations: list }));
}
