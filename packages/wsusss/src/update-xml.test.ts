import { describe, expect, it } from "vitest";
import { CLASSIFICATIONS, isClassificationId } from "./classifications.ts";
import { realDocument, realDocuments, seededRandom } from "./test-support.ts";
import type { CategoryType, UpdateRecord } from "./types.ts";
import { parseUpdateXml, renderUpdateXml, UpdateXmlError } from "./update-xml.ts";
import { parseXml } from "./xml.ts";

const DEFENDER = "8c3fcc84-7410-4a95-8b89-a166a0190486";
const DEFINITION_UPDATES = "e0789628-ce08-4437-be74-2495b842f43b";

describe("parseUpdateXml on the real documents", () => {
  it("reads the KB2267602 bundle: KB, URLs, 35 languages, classification, product, 124 leaves, supersedence", () => {
    const r = parseUpdateXml(realDocument("a2fef9b0"));
    expect(r).toMatchObject({
      updateId: "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe",
      revisionNumber: 200,
      updateType: "Software",
      defaultLanguage: "en",
      creationDate: "2026-10-04T12:00:58.381Z",
      publicationState: "Published",
      kbArticleIds: ["2267602"],
      securityBulletinIds: [],
      cveIds: [],
      supportUrl: "https://go.microsoft.com/fwlink/?LinkId=52661",
      moreInfoUrl: "https://go.microsoft.com/fwlink/?linkid=2007160",
      classificationIds: [DEFINITION_UPDATES],
      productIds: [DEFENDER],
      prerequisiteIds: ["be4048db-157c-4532-9582-7f05099590c9", "0aac58ee-82a0-4452-a7fa-19f68398f1fa"],
      maxDownloadSize: 0,
      files: [],
      parentCategoryIds: [],
    });
    expect(r.categoryType).toBeUndefined();
    expect(r.msrcSeverity).toBeUndefined();
    expect(r.localized).toHaveLength(35);
    expect(r.localized[0]).toEqual({
      language: "en",
      title:
        "Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.459.547.0) - Current Channel (Broad)",
      description:
        "Install this update to revise the files that are used to detect viruses, spyware, and other potentially unwanted software. Once you have installed this item, it cannot be removed.",
    });
    const german = r.localized.find((l) => l.language === "de");
    expect(german?.title).toBe(
      "Security Intelligence-Update für Microsoft Defender Antivirus – KB2267602 (Version 1.459.547.0) – Aktueller Kanal (Allgemein)",
    );
    // The multilingual document carries three no-break spaces; they must survive.
    expect(r.localized.map((l) => `${l.title}${l.description}`).join("")).toContain("\u00a0");
    expect(r.bundledUpdates).toHaveLength(124);
    expect(r.bundledUpdates[0]).toEqual({ updateId: "90f961a9-1756-4493-aade-644c37589961", revisionNumber: 200 });
    expect(r.bundledUpdates).toContainEqual({ updateId: "ccb78947-6453-4ecc-9de8-bc0305c98f2d", revisionNumber: 200 });
    expect(r.bundledUpdates[123]).toEqual({ updateId: "3baa1bb8-21ec-4c3a-8bc7-f613ff818fd2", revisionNumber: 200 });
    expect(r.supersededUpdateIds).toHaveLength(10);
    expect(r.supersededUpdateIds[0]).toBe("ce84983e-b20e-44d7-a412-1fd91fc7bda8");
    expect(r.supersededUpdateIds[9]).toBe("bb663b81-45db-43cb-8bfa-33411e0d8a1f");
  });

  it("reads a leaf with its file, both digests, size and detectoid prerequisites", () => {
    const r = parseUpdateXml(realDocument("266f6222"));
    expect(r).toMatchObject({
      updateId: "266f6222-c89d-43f2-9f8a-69340271e677",
      revisionNumber: 200,
      updateType: "Software",
      creationDate: "2026-10-04T12:00:58.287Z",
      localized: [
        {
          language: "en",
          title: "Full Deltas 1.459.547.0 for Defender amd64fre [Ring0, Ring1, Ring2, Ring3, Ring4, Broad, Delayed]",
        },
      ],
      classificationIds: [],
      productIds: [DEFENDER],
      prerequisiteIds: [
        "be4048db-157c-4532-9582-7f05099590c9",
        "59653007-e2e9-4f71-8525-2ff588527978",
        "0aac58ee-82a0-4452-a7fa-19f68398f1fa",
      ],
      bundledUpdates: [],
      maxDownloadSize: 11606440,
      files: [
        {
          fileName: "AM_Delta.exe",
          size: 11606440,
          sha1Digest: "h/W9BGlYUAaqXTp30cZi/SiV3c0=",
          sha256Digest: "Amt0qymy5KsROiwIXm4QIIV75Ju4r+Cl28Pg8gaLXUA=",
          modified: "2026-10-04T09:39:26Z",
        },
      ],
    });
  });

  it("reads the other leaves", () => {
    expect(parseUpdateXml(realDocument("7366a74a")).files).toEqual([
      {
        fileName: "AM_Delta.exe",
        size: 11610576,
        sha1Digest: "6LHXWIXPjwU6Ewe9ycP4e/DPeto=",
        sha256Digest: "z53OiKDgnskhUnDhQeuuixJreIqwZq1X7COvqZM4+Tk=",
        modified: "2026-10-03T19:37:36Z",
      },
    ]);
    const engine = parseUpdateXml(realDocument("ff36f0b5"));
    expect(engine.localized).toEqual([{ language: "en", title: "AM Engine 1.1.26080.3 for Defender amd64fre Broad" }]);
    expect(engine.files.map((f) => [f.fileName, f.size, f.sha1Digest])).toEqual([
      ["AM_Engine.exe", 6662560, "vXidQqLgJwCO4+fE++5nIN1txMk="],
    ]);
    expect(engine.creationDate).toBe("2026-09-02T08:19:36.080Z");
  });

  it("reads the hidden bundles, whose category groups are not marked IsCategory", () => {
    const stub = parseUpdateXml(realDocument("ccb78947"));
    expect(stub.classificationIds).toEqual([DEFINITION_UPDATES]);
    expect(stub.productIds).toEqual([DEFENDER]);
    expect(stub.bundledUpdates).toEqual([
      { updateId: "b6f443c9-ad38-4347-bab3-f1dc0b03d533", revisionNumber: 200 },
      { updateId: "0daf8592-9e3f-4a8a-9141-d83fafebd09f", revisionNumber: 200 },
      { updateId: "4c0a0a90-4bd5-4fe5-b306-8dbd6fde30a0", revisionNumber: 200 },
      { updateId: "e052d9bd-e49c-4d6e-876e-005b49b89812", revisionNumber: 200 },
    ]);
    const engine = parseUpdateXml(realDocument("1f9bd9bb"));
    expect(engine.localized[0]?.title).toBe(
      "HIDDEN: Defender Engine 1.1.26080.3 for EngineBroad (Installer 1.1.24010.2001-Q)",
    );
    expect(engine.bundledUpdates).toHaveLength(24);
    expect(engine.bundledUpdates[1]).toEqual({ updateId: "ff36f0b5-dded-4780-8664-cd78af8b62c1", revisionNumber: 200 });
  });

  it("reads the three categories with their type and parents, lower-casing upper-case GUIDs", () => {
    const company = parseUpdateXml(realDocument("56309036"));
    expect(company).toMatchObject({
      updateId: "56309036-4c77-4dd9-951a-99ee9c246a94",
      revisionNumber: 101,
      updateType: "Category",
      categoryType: "Company",
      parentCategoryIds: [],
      creationDate: "2005-09-22T00:05:11.471Z",
    });
    expect(company.localized).toHaveLength(24);
    expect(company.localized.every((l) => l.title === "Microsoft" && l.description === "Microsoft")).toBe(true);
    expect(company.localized.map((l) => l.language)).toContain("pt-br");

    const family = parseUpdateXml(realDocument("6964aab4"));
    expect(family).toMatchObject({
      updateId: "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d",
      revisionNumber: 100,
      categoryType: "ProductFamily",
      parentCategoryIds: ["56309036-4c77-4dd9-951a-99ee9c246a94"],
      productIds: [],
      classificationIds: [],
    });

    const product = parseUpdateXml(realDocument("dd78b8a1"));
    expect(product).toMatchObject({
      updateId: "dd78b8a1-0b20-45c1-add6-4da72e9364cf",
      revisionNumber: 202,
      categoryType: "Product",
      parentCategoryIds: ["6964aab4-c5b5-43bd-a17d-ffb4346a8e1d"],
      localized: [
        {
          language: "en",
          title: "OOBE ZDP",
          description: "This category would be used by the updates that would meet the ZDP bar.",
        },
      ],
      creationDate: "2015-08-25T20:09:50.002Z",
    });
  });

  it("lets the caller's category list decide unmarked AtLeastOne groups", () => {
    const known = new Set([DEFENDER]);
    const stub = parseUpdateXml(realDocument("ccb78947"), { isCategoryId: (id) => known.has(id) });
    expect(stub.productIds).toEqual([DEFENDER]);
    const unknown = parseUpdateXml(realDocument("ff36f0b5"), { isCategoryId: () => false });
    expect(unknown.productIds).toEqual([]);
    expect(unknown.prerequisiteIds).toContain(DEFENDER);
    // A group marked IsCategory="true" is a category group whatever the caller knows.
    const marked = parseUpdateXml(realDocument("a2fef9b0"), { isCategoryId: () => false });
    expect(marked.productIds).toEqual([DEFENDER]);
    expect(marked.classificationIds).toEqual([DEFINITION_UPDATES]);
  });

  it.each(realDocuments().map((d) => [d.file, d.xml]))(
    "re-renders %s to a document that parses the same",
    (_f, xml) => {
      const record = parseUpdateXml(xml);
      expect(parseUpdateXml(renderUpdateXml(record))).toEqual(record);
    },
  );
});

describe("renderUpdateXml", () => {
  it("writes classification and product as IsCategory prerequisites, like the real documents", () => {
    const xml = renderUpdateXml(parseUpdateXml(realDocument("a2fef9b0")));
    const root = parseXml(xml);
    expect(root.name).toBe("upd:Update");
    expect(root.children.map((c) => c.local)).toEqual([
      "UpdateIdentity",
      "Properties",
      "LocalizedPropertiesCollection",
      "Relationships",
    ]);
    expect(xml).toContain(
      `<upd:AtLeastOne IsCategory="true"><upd:UpdateIdentity UpdateID="${DEFINITION_UPDATES}" /></upd:AtLeastOne>` +
        `<upd:AtLeastOne IsCategory="true"><upd:UpdateIdentity UpdateID="${DEFENDER}" /></upd:AtLeastOne>`,
    );
    expect(xml).toContain("<upd:KBArticleID>2267602</upd:KBArticleID>");
  });

  it("writes a category's handler data with its type", () => {
    const xml = renderUpdateXml(parseUpdateXml(realDocument("6964aab4")));
    expect(xml).toContain('<upd:HandlerSpecificData xsi:type="cat:Category"');
    expect(xml).toContain('<cat:CategoryInformation CategoryType="ProductFamily"');
    expect(xml).toContain('Handler="http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/Category"');
  });

  it("writes files with both digests", () => {
    const xml = renderUpdateXml(parseUpdateXml(realDocument("ff36f0b5")));
    expect(xml).toContain(
      '<upd:File Digest="vXidQqLgJwCO4+fE++5nIN1txMk=" DigestAlgorithm="SHA1" FileName="AM_Engine.exe" Size="6662560" Modified="2026-08-18T00:39:04Z">' +
        '<upd:AdditionalDigest Algorithm="SHA256">FX0fJz391BBQFKgKnFee7Set4FikM6ebvaIHkpuXY+c=</upd:AdditionalDigest></upd:File>',
    );
  });

  it("refuses records it could not read back as themselves", () => {
    const base = parseUpdateXml(realDocument("ccb78947"));
    expect(() => renderUpdateXml({ ...base, productIds: [DEFINITION_UPDATES] })).toThrow(UpdateXmlError);
    expect(() => renderUpdateXml({ ...base, parentCategoryIds: [DEFENDER] })).toThrow(/only a Category/);
    const category = parseUpdateXml(realDocument("dd78b8a1"));
    expect(() => renderUpdateXml({ ...category, categoryType: undefined })).toThrow(/needs a categoryType/);
    expect(() => renderUpdateXml({ ...base, localized: [{ language: "en", title: "bell \u0007" }] })).toThrow(
      /U\+0007 cannot be written/,
    );
  });
});

describe("parseUpdateXml on bad input", () => {
  const good = realDocument("ccb78947");

  it("names the unclosed element of a truncated document", () => {
    const cut = good.slice(0, good.indexOf("</upd:Relationships>"));
    expect(() => parseUpdateXml(cut)).toThrow(UpdateXmlError);
    expect(() => parseUpdateXml(cut)).toThrow(/unclosed element <upd:(BundledUpdates|Relationships|Update)>/);
  });

  it("refuses DOCTYPE and entity declarations before parsing", () => {
    const bomb = `<!DOCTYPE upd:Update [<!ENTITY a "aaaa">]>${good.replace("HIDDEN", "&a;")}`;
    expect(() => parseUpdateXml(bomb)).toThrow(/DOCTYPE and ENTITY declarations are not accepted/);
  });

  it("names what is missing or wrong", () => {
    expect(() => parseUpdateXml("not xml at all")).toThrow(UpdateXmlError);
    expect(() => parseUpdateXml("<Update/>")).toThrow(/expected an upd:Update root element, found <Update>/);
    expect(() => parseUpdateXml(good.replace(/<upd:UpdateIdentity UpdateID="ccb[^>]*\/>/, ""))).toThrow(
      "upd:UpdateIdentity is missing",
    );
    expect(() =>
      parseUpdateXml(good.replace('UpdateID="ccb78947-6453-4ecc-9de8-bc0305c98f2d"', 'UpdateID="x"')),
    ).toThrow('upd:UpdateIdentity/@UpdateID: "x" is not a GUID');
    expect(() =>
      parseUpdateXml(good.replace('RevisionNumber="200" /><upd:Properties', 'RevisionNumber="-1" /><upd:Properties')),
    ).toThrow('upd:UpdateIdentity/@RevisionNumber: "-1" is not a count');
    expect(() => parseUpdateXml(good.replace('UpdateType="Software"', 'UpdateType="Firmware"'))).toThrow(
      'upd:Properties/@UpdateType: unknown value "Firmware"',
    );
    expect(() => parseUpdateXml(good.replace(/ CreationDate="[^"]*"/, ""))).toThrow(
      "upd:Properties/@CreationDate is missing",
    );
    expect(() => parseUpdateXml(good.replace("<upd:Title>", "<upd:Title>&nbsp;"))).toThrow(/unknown entity &nbsp;/);
    const category = realDocument("56309036");
    expect(() =>
      parseUpdateXml(category.replace(/<upd:HandlerSpecificData[\s\S]*<\/upd:HandlerSpecificData>/, "")),
    ).toThrow(/without cat:CategoryInformation/);
  });

  it("refuses absurd nesting", () => {
    const deep = good.replace("</upd:Update>", `${"<x>".repeat(500)}${"</x>".repeat(500)}</upd:Update>`);
    expect(() => parseUpdateXml(deep)).toThrow(/nested deeper than/);
  });
});

// ---------------------------------------------------------------- property: render→parse is the identity

const LANGUAGES = ["en", "de", "fr", "ja", "pt-br", "zh-tw", "ar"];
const CATEGORY_TYPES: CategoryType[] = ["Company", "ProductFamily", "Product", "UpdateClassification"];
const TRICKY = ["<", ">", "&", '"', "'", "\u00a0", "é", "日本", "😀", "\n", "\t", "\r", "  ", "&amp;", "]]>", "-->"];

function generator(seed: number) {
  const random = seededRandom(seed);
  const int = (max: number) => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const maybe = <T>(value: () => T): T | undefined => (random() < 0.5 ? value() : undefined);
  const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[int(16)]).join("");
  const guid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  const guids = (max: number) => Array.from({ length: int(max + 1) }, guid);
  const words = () =>
    Array.from({ length: 1 + int(6) }, () => (random() < 0.3 ? pick(TRICKY) : int(36 ** 5).toString(36))).join(
      random() < 0.5 ? " " : "",
    );
  const base64 = (bytes: number) => Buffer.from(Array.from({ length: bytes }, () => int(256))).toString("base64");
  const date = () => new Date(Date.UTC(2000, 0, 1) + int(30 * 365 * 86400) * 1000 + int(1000)).toISOString();
  return { int, pick, maybe, guid, guids, words, base64, date, random };
}

function generateRecord(seed: number): UpdateRecord {
  const g = generator(seed);
  const updateType = g.pick(["Software", "Software", "Driver", "Category", "Detectoid"] as const);
  const isCategory = updateType === "Category";
  const languages = [...LANGUAGES].sort(() => g.random() - 0.5).slice(0, 1 + g.int(LANGUAGES.length));
  const record: UpdateRecord = {
    updateId: g.guid(),
    revisionNumber: g.int(1000),
    updateType,
    parentCategoryIds: isCategory ? g.guids(2) : [],
    defaultLanguage: languages[0] ?? "en",
    localized: languages.map((language) => {
      const description = g.maybe(g.words);
      return description === undefined ? { language, title: g.words() } : { language, title: g.words(), description };
    }),
    creationDate: g.date(),
    publicationState: g.pick(["Published", "Expired"] as const),
    kbArticleIds: Array.from({ length: g.int(3) }, (_, i) => String(1000000 + g.int(9000000) + i)),
    securityBulletinIds: Array.from({ length: g.int(2) }, (_, i) => `MS${10 + g.int(10)}-${100 + i}`),
    cveIds: Array.from({ length: g.int(4) }, (_, i) => `CVE-20${10 + g.int(15)}-${1000 + i}`),
    classificationIds: isCategory
      ? []
      : [...new Set(Array.from({ length: g.int(2) }, () => g.pick(CLASSIFICATIONS).id))],
    productIds: isCategory ? [] : g.guids(3),
    prerequisiteIds: g.guids(3),
    bundledUpdates: Array.from({ length: g.int(5) }, () => ({ updateId: g.guid(), revisionNumber: g.int(500) })),
    supersededUpdateIds: g.guids(4),
    files: Array.from({ length: g.int(3) }, () => {
      const file = { fileName: `${g.words()}.cab`, size: g.int(2 ** 40), sha1Digest: g.base64(20) };
      const sha256 = g.maybe(() => g.base64(32));
      const modified = g.maybe(g.date);
      return { ...file, ...(sha256 && { sha256Digest: sha256 }), ...(modified && { modified }) };
    }),
  };
  if (isCategory) record.categoryType = g.pick(CATEGORY_TYPES);
  const severity = g.maybe(() => g.pick(["Critical", "Important", "Moderate", "Low"] as const));
  if (severity) record.msrcSeverity = severity;
  const supportUrl = g.maybe(() => `https://support.example/kb?id=${g.int(100)}&lang=<${g.words()}>`);
  if (supportUrl) record.supportUrl = supportUrl;
  const moreInfoUrl = g.maybe(() => `https://info.example/${g.int(100)}?q="${g.words()}"`);
  if (moreInfoUrl) record.moreInfoUrl = moreInfoUrl;
  const size = g.maybe(() => g.int(2 ** 36));
  if (size !== undefined) record.maxDownloadSize = size;
  const beta = g.maybe(() => g.random() < 0.5);
  if (beta !== undefined) record.isBeta = beta;
  return record;
}

describe("render→parse round trip (seeded property test)", () => {
  it("returns every generated record unchanged", () => {
    let categories = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const record = generateRecord(seed);
      if (record.updateType === "Category") categories++;
      expect(record.classificationIds.every(isClassificationId)).toBe(true);
      const xml = renderUpdateXml(record);
      expect(parseUpdateXml(xml), `seed ${seed}`).toEqual(record);
    }
    // The generator really covers categories too.
    expect(categories).toBeGreaterThan(40);
  });

  it("keeps upper-case GUIDs from the wire as lower case (so a re-render is canonical)", () => {
    const record = generateRecord(7);
    const shouting = renderUpdateXml(record).replace(
      /UpdateID="([^"]+)"/g,
      (_m, id: string) => `UpdateID="${id.toUpperCase()}"`,
    );
    expect(parseUpdateXml(shouting)).toEqual(record);
  });
});
