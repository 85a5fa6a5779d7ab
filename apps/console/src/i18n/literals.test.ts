// No user-facing text bypasses i18n in the console's components. The scanner itself is tested against planted
// examples first, so that a scanner finding nothing cannot pass for a clean console.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findLiterals } from "../test-utils/literal-scan.ts";

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function components(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "test-utils" ? [] : components(full);
    return name.endsWith(".tsx") && !name.endsWith(".test.tsx") ? [full] : [];
  });
}

describe("the literal scanner", () => {
  it("finds planted text in JSX, in read attributes and in {'…'} expressions", () => {
    const planted = [
      'export const A = () => <button title="Delete the site">Synchronize now</button>;',
      'export const B = () => <input placeholder={"Search updates"} aria-label="Search" />;',
      'export const C = () => <p>{"Nothing here"}</p>;',
      'export const D = () => <img alt="Hierarchy diagram" />;',
      'export const E = () => <Field input={{ placeholder: "Site code", type: "text" }} />;',
    ].join("\n");
    expect(findLiterals("planted.tsx", planted).map((l) => [l.line, l.text])).toEqual([
      [1, "Delete the site"],
      [1, "Synchronize now"],
      [2, "Search updates"],
      [2, "Search"],
      [3, "Nothing here"],
      [4, "Hierarchy diagram"],
      [5, "Site code"],
    ]);
  });

  it("leaves translated text, punctuation, class names and marked exceptions alone", () => {
    const clean = [
      "export const A = ({ t }) => <button title={t('x.y')} className=\"button button--primary\">{t('x.z')}</button>;",
      "export const B = () => <span aria-hidden> · </span>;",
      "export const C = () => <span>{count} / {total} — 100 %</span>;",
      "// i18n-ignore: the product's name is not translated",
      "export const D = () => <strong>Syncpoint</strong>;",
    ].join("\n");
    expect(findLiterals("clean.tsx", clean)).toEqual([]);
  });
});

describe("console components", () => {
  it("put no user-facing text past i18n", () => {
    const files = components(srcDir);
    expect(files.length).toBeGreaterThan(20);
    const literals = files.flatMap((file) => findLiterals(path.relative(srcDir, file), readFileSync(file, "utf8")));
    expect(literals.map((l) => `${l.file}:${l.line}: ${l.text}`)).toEqual([]);
  });
});
