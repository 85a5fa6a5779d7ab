// Values as SQL literals, for statements sent several at a time in one simple-protocol round trip (which takes no
// parameters): a run's publications (services/sync-status.ts) and its catalog statements (sync/pg-transaction.ts).
// Strings go through pg's escapeLiteral; arrays become array text (each element double-quoted and escaped) in a
// string literal, which the statement casts (`::uuid[]`, `::int[]`).
import pg from "pg";

function arrayText(values: readonly unknown[]): string {
  const elements = values.map((value) => {
    if (value === null || value === undefined) return "NULL";
    if (typeof value !== "string" && typeof value !== "number")
      throw new TypeError(`not an array element: ${String(value)}`);
    return `"${String(value).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  });
  return `{${elements.join(",")}}`;
}

export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (value instanceof Date) return `'${value.toISOString()}'::timestamptz`;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  // In parentheses: a negative number after an operator (`x - -1`) must not read as a comment.
  if (typeof value === "number" && Number.isSafeInteger(value)) return value < 0 ? `(${value})` : String(value);
  if (typeof value === "string") return pg.escapeLiteral(value);
  if (Array.isArray(value)) return pg.escapeLiteral(arrayText(value));
  throw new TypeError(`not an SQL literal: ${String(value)}`);
}

/** A statement written as a template (Prisma.sql: its strings and values) with its values inlined as literals. */
export function inlineSql(statement: { strings: readonly string[]; values: readonly unknown[] }): string {
  let text = statement.strings[0] ?? "";
  statement.values.forEach((value, i) => {
    text += sqlLiteral(value) + (statement.strings[i + 1] ?? "");
  });
  return text;
}
