// The five translations against en-US: the same keys (plural forms as each language needs them), the same
// {{placeholders}} and <tags>, real translations (at least 90 % of the values differ from English, outside the
// exemptions), and the glossary's terms where the glossary names the keys that carry them.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import glossary from "./glossary.json";

const localesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "locales");
export const TRANSLATED_LOCALES = ["sv-SE", "zh-CN", "de-DE", "nl-NL", "it-IT"] as const;
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

type Flat = Map<string, string>;

function flatten(value: unknown, prefix = "", into: Flat = new Map()): Flat {
  if (typeof value === "string") into.set(prefix, value);
  else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, into);
  } else throw new Error(`${prefix}: not a string or object`);
  return into;
}

const read = (locale: string): Flat =>
  flatten(JSON.parse(readFileSync(path.join(localesDir, `${locale}.json`), "utf8")));

const baseOf = (key: string) => key.replace(PLURAL_SUFFIX, "");
/** {{name}} placeholders (formats included) and <0>/<strong> tags: what must survive translation. */
const tokensOf = (value: string) =>
  [...value.matchAll(/\{\{[^}]+\}\}|<\/?[A-Za-z0-9]+\s*\/?>/g)].map((m) => m[0].replace(/\s+/g, "")).sort();
/** Nothing to translate: only placeholders, tags, digits and punctuation. */
const hasWords = (value: string) => /\p{L}/u.test(value.replace(/\{\{[^}]+\}\}|<[^>]+>/g, ""));

const enUS = read("en-US");
/** The keys a locale must have: en-US's, with plural keys in the forms the locale's plural rules use. */
function expectedKeys(locale: string): Set<string> {
  const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
  const keys = new Set<string>();
  for (const key of enUS.keys()) {
    if (PLURAL_SUFFIX.test(key)) for (const category of categories) keys.add(`${baseOf(key)}_${category}`);
    else keys.add(key);
  }
  return keys;
}
/** The English source of a key: a plural form compares with English's `_other`. */
const englishOf = (key: string) => enUS.get(key) ?? enUS.get(`${baseOf(key)}_other`) ?? "";

describe.each(TRANSLATED_LOCALES)("%s", (locale) => {
  const file = path.join(localesDir, `${locale}.json`);
  const translation = existsSync(file) ? read(locale) : new Map<string, string>();

  it("exists", () => {
    expect(existsSync(file), file).toBe(true);
  });
  const identicalTerms = new Set(
    glossary.terms.filter((term) => term[locale] === term["en-US"]).map((term) => term["en-US"]),
  );

  it("has exactly the keys en-US has, plural forms by its own rules", () => {
    const expected = expectedKeys(locale);
    expect(
      [...expected].filter((key) => !translation.has(key)),
      "missing",
    ).toEqual([]);
    expect(
      [...translation.keys()].filter((key) => !expected.has(key)),
      "not in en-US",
    ).toEqual([]);
  });

  it("keeps every placeholder and tag of the English text", () => {
    const broken = [...translation].filter(([key, value]) => {
      const english = englishOf(key);
      // A singular form may say "one" in words instead of {{count}}, as English itself often does.
      const wanted = tokensOf(english).filter((t) => !(key.endsWith("_one") && t === "{{count}}"));
      const got = tokensOf(value).filter((t) => !(key.endsWith("_one") && t === "{{count}}"));
      return JSON.stringify(wanted) !== JSON.stringify(got);
    });
    expect(broken.map(([key, value]) => `${key}: ${value}`)).toEqual([]);
  });

  it("translates at least 90 % of the values (glossary terms that are the same word excepted)", () => {
    const candidates = [...translation].filter(
      ([key, value]) => hasWords(englishOf(key)) && !identicalTerms.has(value),
    );
    const same = candidates.filter(([key, value]) => value === englishOf(key));
    expect(same.length / candidates.length, same.map(([key]) => key).join(", ")).toBeLessThanOrEqual(0.1);
  });

  it("uses the glossary's terms", () => {
    const wrong = glossary.terms.flatMap((term) =>
      term.keys.flatMap((key) => {
        const value = translation.get(key) ?? "";
        return value.toLowerCase().includes(term[locale].toLowerCase())
          ? []
          : [`${key}: "${value}" lacks "${term[locale]}"`];
      }),
    );
    expect(wrong).toEqual([]);
  });
});

describe("the glossary", () => {
  it("has every term in every locale, and its keys carry the English term", () => {
    for (const term of glossary.terms) {
      for (const locale of glossary.locales)
        expect(term[locale as keyof typeof term], `${term.term} ${locale}`).toBeTruthy();
      for (const key of term.keys ?? [])
        expect(enUS.get(key)?.toLowerCase(), key).toContain(term["en-US"].toLowerCase());
    }
  });

  it("is free of the machine translation's split words", () => {
    const text = JSON.stringify(glossary.terms);
    for (const artifact of ["program varu", "program uppdaterings", "meta gegevens", "hand matig"]) {
      expect(text).not.toContain(artifact);
    }
  });
});
