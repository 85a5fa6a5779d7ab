// Every key the code uses exists in en-US.json, and every key in en-US.json is used. Keys must be static strings
// (t("a.b"), i18nKey="a.b") so this scan can see them; a t() call with anything else fails the test.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Paths from the file path string: under jsdom, `URL` is jsdom's, which node:url does not accept.
const i18nDir = path.dirname(fileURLToPath(import.meta.url));
const srcDir = path.resolve(i18nDir, "..");
const localesDir = path.join(i18nDir, "locales");
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "test-utils" ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.(ts|tsx)$/.test(name) && !name.endsWith(".d.ts") ? [full] : [];
  });
}

function flatten(value: unknown, prefix = ""): string[] {
  if (typeof value === "string") return [prefix];
  if (typeof value !== "object" || value === null) throw new Error(`${prefix}: not a string or object`);
  return Object.entries(value).flatMap(([key, child]) => flatten(child, prefix ? `${prefix}.${key}` : key));
}

function readLocale(file: string): string[] {
  return flatten(JSON.parse(readFileSync(path.join(localesDir, file), "utf8")));
}

const files = sourceFiles(srcDir);
const used = new Map<string, string[]>(); // key -> files using it
const dynamic: string[] = [];
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const relative = path.relative(srcDir, file);
  for (const match of text.matchAll(/\bt\(\s*(["'])([^"'\n]+)\1/g)) {
    const key = match[2]!;
    used.set(key, [...(used.get(key) ?? []), relative]);
  }
  for (const match of text.matchAll(/i18nKey\s*[=:]\s*\{?\s*(["'])([^"'\n]+)\1/g)) {
    const key = match[2]!;
    used.set(key, [...(used.get(key) ?? []), relative]);
  }
  for (const match of text.matchAll(/\bt\(\s*(?!["'])(\S{0,30})/g)) dynamic.push(`${relative}: t(${match[1]}`);
}

const enUS = readLocale("en-US.json");
const enUSKeys = new Set(enUS);
const baseOf = (key: string) => key.replace(PLURAL_SUFFIX, "");

describe("en-US translations", () => {
  it("the scan finds the code's translation calls", () => {
    expect(files.length).toBeGreaterThan(10);
    expect(used.has("login.userName")).toBe(true);
    expect(used.has("sites.count")).toBe(true);
  });

  it("uses only static keys", () => {
    expect(dynamic).toEqual([]);
  });

  it("has every key the code uses", () => {
    const missing = [...used.keys()].filter(
      (key) => !enUSKeys.has(key) && !enUS.some((k) => PLURAL_SUFFIX.test(k) && baseOf(k) === key),
    );
    expect(missing.map((key) => `${key} (${used.get(key)?.join(", ")})`)).toEqual([]);
  });

  it("has no key the code does not use", () => {
    const unused = enUS.filter((key) => !used.has(key) && !(PLURAL_SUFFIX.test(key) && used.has(baseOf(key))));
    expect(unused).toEqual([]);
  });

  it("gives every plural key both the _one and _other forms English needs", () => {
    const pluralBases = new Set(enUS.filter((k) => PLURAL_SUFFIX.test(k)).map(baseOf));
    for (const base of pluralBases) {
      expect(enUSKeys.has(`${base}_one`), `${base}_one`).toBe(true);
      expect(enUSKeys.has(`${base}_other`), `${base}_other`).toBe(true);
    }
  });
});
