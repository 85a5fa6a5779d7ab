import { Prisma } from "@syncpoint/db";
import { describe, expect, it } from "vitest";
import { inlineSql, sqlLiteral } from "./literal.ts";

describe("sqlLiteral", () => {
  it("writes scalars as literals, strings escaped", () => {
    expect(sqlLiteral(null)).toBe("NULL");
    expect(sqlLiteral(true)).toBe("TRUE");
    expect(sqlLiteral(42)).toBe("42");
    expect(sqlLiteral(-3)).toBe("(-3)");
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral("back\\slash")).toBe(" E'back\\\\slash'");
    expect(sqlLiteral(new Date("2026-11-25T01:02:03.004Z"))).toBe("'2026-11-25T01:02:03.004Z'::timestamptz");
  });

  it("writes arrays as array text in a string literal, each element quoted", () => {
    expect(sqlLiteral(["a", 'b"c', "d\\e"])).toBe(` E'{"a","b\\\\"c","d\\\\\\\\e"}'`);
    expect(sqlLiteral([1, 2])).toBe(`'{"1","2"}'`);
    expect(sqlLiteral([])).toBe("'{}'");
  });

  it("refuses what it cannot write: a fraction, an object", () => {
    expect(() => sqlLiteral(1.5)).toThrow(TypeError);
    expect(() => sqlLiteral({})).toThrow(TypeError);
    expect(() => sqlLiteral([{}])).toThrow(TypeError);
  });
});

describe("inlineSql", () => {
  it("inlines a template's values in order, nested fragments included", () => {
    const inner = Prisma.sql`AND b = ${"x"}`;
    expect(inlineSql(Prisma.sql`SELECT ${1} WHERE a = ANY(${["u"]}::uuid[]) ${inner}`)).toBe(
      `SELECT 1 WHERE a = ANY('{"u"}'::uuid[]) AND b = 'x'`,
    );
  });
});
