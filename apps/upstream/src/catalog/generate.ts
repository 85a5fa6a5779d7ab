// The generated catalog: update records shaped like Microsoft's (title shapes, KB numbers, CVEs, MSRC severities,
// monthly supersedence chains), deterministic from a seed. They are records, not captured XML: the server half of
// @syncpoint/wsusss renders each one into an update document when a downstream server asks for it.
import { createHash } from "node:crypto";
import type { UpdateRecord } from "@syncpoint/wsusss";
import { CATEGORIES, CLASSIFICATION_IDS as C, MICROSOFT, PRODUCTS as P, type CategoryDef } from "./categories.ts";
import { seededRandom, stableGuid } from "./random.ts";

export interface CatalogOptions {
  seed: number;
  /** How many (non-category) updates; the newest are kept when the history holds more. */
  updates: number;
  /** The last month of the initial catalog (period 0); later months are published by `advance`. */
  until?: Date;
}

/** The initial catalog ends here, whatever today's date: the same seed must give the same catalog on every machine. */
export const BASE_MONTH = new Date(Date.UTC(2026, 9, 1));

export interface GeneratedCatalog {
  categories: UpdateRecord[];
  updates: UpdateRecord[];
}

const FIRST_MONTH = new Date(Date.UTC(2019, 0, 1));

/** Patch Tuesday: the second Tuesday of the month, 17:00 UTC (10:00 Redmond). */
export function patchTuesday(year: number, month: number): Date {
  const first = new Date(Date.UTC(year, month, 1, 17));
  const firstTuesday = 1 + ((2 - first.getUTCDay() + 7) % 7);
  return new Date(Date.UTC(year, month, firstTuesday + 7, 17));
}

const monthLabel = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;

interface WindowsTrack {
  key: string;
  product: string;
  name: string;
  archs: string[];
  from: string;
  until?: string;
}

const WINDOWS_TRACKS: WindowsTrack[] = [
  { key: "w10-22h2", product: P.windows10, name: "Windows 10 Version 22H2", archs: ["x64", "x86"], from: "2022-10" },
  {
    key: "w10-21h2",
    product: P.windows10,
    name: "Windows 10 Version 21H2",
    archs: ["x64", "x86"],
    from: "2021-11",
    until: "2024-06",
  },
  {
    key: "w10-1909",
    product: P.windows10v1903,
    name: "Windows 10 Version 1909",
    archs: ["x64"],
    from: "2019-11",
    until: "2022-05",
  },
  { key: "w11-21h2", product: P.windows11, name: "Windows 11", archs: ["x64"], from: "2021-10", until: "2024-10" },
  { key: "w11-23h2", product: P.windows11, name: "Windows 11 Version 23H2", archs: ["x64", "arm64"], from: "2023-10" },
  { key: "w11-24h2", product: P.windows11, name: "Windows 11 Version 24H2", archs: ["x64", "arm64"], from: "2024-10" },
  { key: "ws2016", product: P.server2016, name: "Windows Server 2016", archs: ["x64"], from: "2019-01" },
  { key: "ws2019", product: P.server2019, name: "Windows Server 2019", archs: ["x64"], from: "2019-01" },
  {
    key: "ws2022",
    product: P.server2022,
    name: "Microsoft server operating system version 21H2",
    archs: ["x64"],
    from: "2021-09",
  },
  {
    key: "ws2025",
    product: P.server2025,
    name: "Microsoft server operating system version 24H2",
    archs: ["x64"],
    from: "2024-11",
  },
];

const ARCH_TITLE: Record<string, string> = {
  x64: "x64-based Systems",
  x86: "x86-based Systems",
  arm64: "ARM64-based Systems",
};

const ARCH_WORDS: Record<string, string> = { x64: "x64", x86: "x86", arm64: "ARM64" };

/** The Cumulative Update title as Microsoft publishes it in the languages the console speaks. */
function localizedCumulativeTitles(
  label: string,
  name: string,
  arch: string,
  kb: string,
): { language: string; title: string }[] {
  const a = ARCH_WORDS[arch] ?? arch;
  return [
    { language: "de", title: `${label} Kumulatives Update für ${name} für ${a}-basierte Systeme (KB${kb})` },
    { language: "sv", title: `${label} Kumulativ uppdatering för ${name} för ${a}-baserade system (KB${kb})` },
    { language: "nl", title: `${label} Cumulatieve update voor ${name} voor op ${a} gebaseerde systemen (KB${kb})` },
    { language: "it", title: `${label} Aggiornamento cumulativo per ${name} per sistemi basati su ${a} (KB${kb})` },
    { language: "zh-cn", title: `${label} 适用于基于 ${a} 的系统的 ${name} 累积更新 (KB${kb})` },
  ];
}

export class Builder {
  private readonly random: () => number;
  private kb = 4_480_000;
  private cveCounter = 20_000;
  readonly updates: UpdateRecord[] = [];
  /** The latest update of each supersedence chain, to be superseded by the next one. */
  private readonly chainHead = new Map<string, string>();

  constructor(private readonly seed: number) {
    this.random = seededRandom(seed);
  }

  nextKb(): string {
    // About 6 000 KB numbers a month, as Microsoft goes: KB4480000 in early 2019, KB50xxxxx by 2024.
    this.kb += 1 + Math.floor(this.random() * 1_150);
    return String(this.kb);
  }

  cves(year: number, count: number): string[] {
    return Array.from({ length: count }, () =>
      `CVE-${year}-${(this.cveCounter += 1 + Math.floor(this.random() * 30)) % 100_000}`.replace(
        /-(\d{1,4})$/,
        (_m, n: string) => `-${n.padStart(4, "0")}`,
      ),
    );
  }

  severity(): UpdateRecord["msrcSeverity"] {
    const r = this.random();
    return r < 0.45 ? "Critical" : r < 0.9 ? "Important" : r < 0.97 ? "Moderate" : "Low";
  }

  add(input: {
    key: string;
    /** Found by catalog search and GetUpdateData, never by a filtered GetRevisionIdList (like out-of-band fixes). */
    catalogOnly?: boolean;
    localized?: { language: string; title: string }[];
    chain?: string;
    title: string;
    description: string;
    created: Date;
    classification: string;
    products: string[];
    kb?: string;
    severity?: UpdateRecord["msrcSeverity"];
    cves?: string[];
    fileName: string;
    size: number;
    /** The leaves this update bundles. */
    bundled?: { updateId: string; revisionNumber: number }[];
  }): void {
    const updateId = stableGuid(this.seed, input.key);
    const superseded = input.chain ? this.chainHead.get(input.chain) : undefined;
    if (input.chain) this.chainHead.set(input.chain, updateId);
    const digest = createHash("sha1").update(updateId).digest();
    this.updates.push({
      updateId,
      revisionNumber: 200 + Math.floor(this.random() * 3),
      updateType: "Software",
      parentCategoryIds: [],
      defaultLanguage: "en",
      localized: [
        { language: "en", title: input.title, description: input.description },
        ...(input.localized ?? []).map((l) => ({ ...l, description: input.description })),
      ],
      creationDate: input.created.toISOString(),
      publicationState: "Published",
      ...(input.severity ? { msrcSeverity: input.severity } : {}),
      kbArticleIds: input.kb ? [input.kb] : [],
      securityBulletinIds: [],
      cveIds: input.cves ?? [],
      ...(input.kb ? { supportUrl: `https://support.microsoft.com/help/${input.kb}` } : {}),
      classificationIds: [input.classification],
      productIds: input.products,
      prerequisiteIds: [],
      bundledUpdates: input.bundled ?? [],
      supersededUpdateIds: superseded ? [superseded] : [],
      files: [
        {
          fileName: input.fileName,
          size: input.size,
          sha1Digest: digest.toString("base64"),
          sha256Digest: createHash("sha256").update(updateId).digest("base64"),
          modified: input.created.toISOString(),
        },
      ],
      maxDownloadSize: input.size,
    });
    if (input.catalogOnly) this.catalogOnly.add(updateId);
  }

  /** Ids of the catalog-only updates. */
  readonly catalogOnly = new Set<string>();

  /** A seeded value in [0, 1) for choices made outside the month templates (revisions, expirations). */
  next(): number {
    return this.random();
  }

  month(date: Date): void {
    const year = date.getUTCFullYear();
    const label = monthLabel(date);
    const tuesday = patchTuesday(year, date.getUTCMonth());
    for (const track of WINDOWS_TRACKS) {
      if (label < track.from || (track.until && label > track.until)) continue;
      for (const arch of track.archs) {
        const kb = this.nextKb();
        this.add({
          key: `cu:${track.key}:${arch}:${label}`,
          chain: `cu:${track.key}:${arch}`,
          localized: localizedCumulativeTitles(label, track.name, arch, kb),
          title: `${label} Cumulative Update for ${track.name} for ${ARCH_TITLE[arch]} (KB${kb})`,
          description: `Install this update to resolve issues in ${track.name.replace("Microsoft server operating system version 21H2", "Windows Server 2022")}. For a complete listing of the issues that are included in this update, see the associated Microsoft Knowledge Base article.`,
          created: tuesday,
          classification: C.securityUpdates,
          products: [track.product],
          kb,
          severity: this.severity(),
          cves: this.cves(year, 3 + Math.floor(this.random() * 6)),
          fileName: `windows-kb${kb}-${arch}.msu`,
          size: 300_000_000 + Math.floor(this.random() * 600_000_000),
        });
      }
      if (this.random() < 0.5) {
        const kb = this.nextKb();
        this.add({
          key: `netfx:${track.key}:${label}`,
          chain: `netfx:${track.key}`,
          title: `${label} Cumulative Update for .NET Framework 3.5 and 4.8.1 for ${track.name} for x64 (KB${kb})`,
          description:
            "A security issue has been identified in a Microsoft software product that could affect your system.",
          created: tuesday,
          classification: C.securityUpdates,
          products: [track.product],
          kb,
          severity: "Important",
          cves: this.cves(year, 1 + Math.floor(this.random() * 2)),
          fileName: `windows-kb${kb}-x64-ndp481.msu`,
          size: 60_000_000 + Math.floor(this.random() * 40_000_000),
        });
      }
    }
    // Now and then an out-of-band fix that only the catalog offers (imported by hand, never synced by filter).
    if (this.random() < 0.25) {
      const track = WINDOWS_TRACKS.filter((t) => label >= t.from && (!t.until || label <= t.until))[0];
      if (track) {
        const kb = this.nextKb();
        this.add({
          key: `oob:${track.key}:${label}`,
          catalogOnly: true,
          title: `${label} Out-of-band Update for ${track.name} for x64-based Systems (KB${kb})`,
          description:
            "This out-of-band update addresses a specific issue; it is available from the Microsoft Update Catalog only.",
          created: new Date(tuesday.getTime() + 10 * 86_400_000),
          classification: C.updates,
          products: [track.product],
          kb,
          fileName: `windows-kb${kb}-x64.msu`,
          size: 250_000_000,
        });
      }
    }
    // The Malicious Software Removal Tool, every month, one chain.
    const msrtVersion = 5.7 + (year - 2019) * 0.12 + date.getUTCMonth() * 0.01;
    this.add({
      key: `msrt:${label}`,
      chain: "msrt",
      title: `Windows Malicious Software Removal Tool x64 - v${msrtVersion.toFixed(2).replace(/^5\./, "5.")} (KB890830)`,
      description:
        "After the download, this tool runs one time to check your computer for infection by specific, prevalent malicious software.",
      created: tuesday,
      classification: C.updateRollups,
      products: [P.windows10, P.windows11, P.server2016, P.server2019, P.server2022],
      kb: "890830",
      fileName: `windows-kb890830-x64-v${msrtVersion.toFixed(2)}.exe`,
      size: 80_000_000,
    });
    if (label >= "2023-11") {
      const kb = this.nextKb();
      const patch = Math.max(0, (year - 2023) * 12 + date.getUTCMonth() - 10);
      this.add({
        key: `dotnet8:${label}`,
        chain: "dotnet8",
        title: `.NET 8.0.${patch} Security Update for x64 Client (KB${kb})`,
        description: "A security vulnerability exists in .NET 8.0. This update addresses the vulnerability.",
        created: tuesday,
        classification: C.securityUpdates,
        products: [P.dotnet8],
        kb,
        severity: "Important",
        cves: this.cves(year, 1),
        fileName: `dotnet-runtime-8.0.${patch}-win-x64.exe`,
        size: 30_000_000,
      });
    }
    const build = 10_000 + (year - 2019) * 1200 + date.getUTCMonth() * 100;
    this.add({
      key: `m365:${label}`,
      chain: "m365-current",
      title: `Microsoft 365 Apps Update - Current Channel Version ${String(year).slice(2)}${String(date.getUTCMonth() + 1).padStart(2, "0")} for x64 based Edition (Build ${build}.20${String(Math.floor(this.random() * 900) + 100)})`,
      description: "Microsoft 365 Apps Update for the Current Channel.",
      created: tuesday,
      classification: C.updates,
      products: [P.m365Apps],
      fileName: `m365-current-${build}.cab`,
      size: 5_000_000,
    });
    if (this.random() < 0.6) {
      const kb = `500${2000 + Math.floor(this.random() * 7000)}`;
      this.add({
        key: `office2016:${label}`,
        title: `Security Update for Microsoft Office 2016 (KB${kb}) 64-Bit Edition`,
        description:
          "A security vulnerability exists in Microsoft Office 2016 64-Bit Edition that could allow arbitrary code to run when a maliciously modified file is opened.",
        created: tuesday,
        classification: C.securityUpdates,
        products: [P.office2016],
        kb,
        severity: this.severity(),
        cves: this.cves(year, 1 + Math.floor(this.random() * 3)),
        fileName: `mso2016-kb${kb}-fullfile-x64-glb.exe`,
        size: 40_000_000,
      });
    }
    for (const [product, name, from] of [
      [P.sql2017, "SQL Server 2017", "2019-01"],
      [P.sql2019, "SQL Server 2019", "2019-11"],
      [P.sql2022, "SQL Server 2022", "2022-11"],
    ] as const) {
      if (label < from || date.getUTCMonth() % 2 !== 0) continue;
      const kb = this.nextKb();
      const cu = Math.floor(((year - Number(from.slice(0, 4))) * 12 + date.getUTCMonth()) / 2) + 1;
      this.add({
        key: `sql:${name}:${label}`,
        chain: `sql:${name}`,
        title: `Cumulative Update ${cu} for ${name} (KB${kb})`,
        description: `Cumulative Update ${cu} for ${name} contains fixes for issues reported since the previous cumulative update.`,
        created: new Date(tuesday.getTime() + 7 * 86_400_000),
        classification: C.updates,
        products: [product],
        kb,
        fileName: `${name.toLowerCase().replaceAll(" ", "")}-kb${kb}-x64.exe`,
        size: 500_000_000,
      });
    }
    for (let i = 0; i < 3; i++) {
      const major = 72 + (year - 2019) * 8 + Math.floor(date.getUTCMonth() / 1.5);
      const version = `${major}.0.${1000 + Math.floor(this.random() * 2000)}.${Math.floor(this.random() * 150)}`;
      this.add({
        key: `edge:${label}:${i}`,
        chain: "edge-stable",
        title: `Microsoft Edge-Stable Channel Version ${version} Update for x64 based Editions`,
        description: "Microsoft Edge Stable Channel update.",
        created: new Date(tuesday.getTime() + (i * 9 - 5) * 86_400_000),
        classification: C.updates,
        products: [P.edge],
        fileName: `MicrosoftEdge_X64_${version}.exe`,
        size: 160_000_000,
      });
    }
    if (this.random() < 0.3) {
      const version = `10.1.${Math.floor(this.random() * 40)}.${Math.floor(this.random() * 90)}`;
      this.add({
        key: `driver:${label}`,
        title: `Intel - System - ${version}`,
        description: "Intel System driver update released in " + label,
        created: new Date(tuesday.getTime() + 3 * 86_400_000),
        classification: C.drivers,
        products: [P.windows10v1903, P.windows11],
        fileName: `intel-system-${version}.cab`,
        size: 2_000_000,
      });
    }
  }

  private definitionCount = 0;

  /**
   * Security intelligence updates for Defender, spread over [from, until], each superseding the one before. Like the
   * real KB2267602, each is a bundle; every second one here carries its leaf ("Full Deltas … for Defender amd64fre"),
   * so that `count` records are produced in all.
   */
  definitions(count: number, from: Date, until: Date): void {
    const interval = Math.max(1, Math.floor((until.getTime() - from.getTime()) / Math.max(1, count)));
    for (let made = 0; made < count;) {
      const n = this.definitionCount++;
      const created = new Date(from.getTime() + made * interval);
      const version = `1.${300 + Math.floor(n / 2000)}.${n % 2000}.0`;
      const withLeaf = n % 2 === 0 && made + 2 <= count;
      let leaf: { updateId: string; revisionNumber: number } | undefined;
      if (withLeaf) {
        this.add({
          key: `defender-leaf:${n}`,
          title: `Full Deltas ${version} for Defender amd64fre [Broad]`,
          description: "Security intelligence update package.",
          created,
          classification: C.definitionUpdates,
          products: [P.defenderAntivirus],
          fileName: `mpam-d-${version}.exe`,
          size: 4_000_000,
        });
        const last = this.updates[this.updates.length - 1]!;
        leaf = { updateId: last.updateId, revisionNumber: last.revisionNumber };
        made++;
      }
      this.add({
        key: `defender:${n}`,
        chain: "defender-broad",
        title: `Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version ${version}) - Current Channel (Broad)`,
        description:
          "Install this update to revise the files that are used to detect viruses, spyware, and other potentially unwanted software.",
        created,
        classification: C.definitionUpdates,
        products: [P.defenderAntivirus],
        kb: "2267602",
        fileName: `am_delta_patch_${version}.exe`,
        size: 5_000_000,
        ...(leaf ? { bundled: [leaf] } : {}),
      });
      made++;
    }
  }
}

function categoryRecord(def: CategoryDef): UpdateRecord {
  return {
    updateId: def.id,
    revisionNumber: def.type === "Company" ? 101 : 100,
    updateType: "Category",
    categoryType: def.type,
    parentCategoryIds: def.parentId ? [def.parentId] : [],
    defaultLanguage: "en",
    localized: [{ language: "en", title: def.title, description: def.title }],
    creationDate: "2004-05-15T05:50:01.611Z",
    publicationState: "Published",
    kbArticleIds: [],
    securityBulletinIds: [],
    cveIds: [],
    classificationIds: [],
    productIds: [],
    prerequisiteIds: [],
    bundledUpdates: [],
    supersededUpdateIds: [],
    files: [],
  };
}

export interface GeneratedCatalogWithBuilder extends GeneratedCatalog {
  /** Continues the same deterministic history: `builder.month(next)` publishes the following month. */
  builder: Builder;
  catalogOnly: Set<string>;
}

export function generateCatalog(options: CatalogOptions): GeneratedCatalogWithBuilder {
  const until = options.until ?? BASE_MONTH;
  const builder = new Builder(options.seed);
  for (let d = new Date(FIRST_MONTH); d <= until; d = nextMonth(d)) builder.month(d);
  // Definition updates fill the catalog up to the requested size, as they dominate real catalogs.
  const regular = builder.updates.filter((u) => !builder.catalogOnly.has(u.updateId)).length;
  builder.definitions(Math.max(0, options.updates - regular), FIRST_MONTH, until);
  const byDate = (a: UpdateRecord, b: UpdateRecord) =>
    a.creationDate < b.creationDate ? 1 : a.creationDate > b.creationDate ? -1 : 0;
  const kept = builder.updates
    .filter((u) => !builder.catalogOnly.has(u.updateId))
    .sort(byDate)
    .slice(0, options.updates);
  const catalogOnly = builder.updates.filter((u) => builder.catalogOnly.has(u.updateId));
  // The builder's list is handed over; later months append to a fresh one.
  builder.updates.length = 0;
  return {
    categories: CATEGORIES.map(categoryRecord),
    updates: [...kept, ...catalogOnly],
    builder,
    catalogOnly: new Set(catalogOnly.map((u) => u.updateId)),
  };
}

export function nextMonth(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

export { MICROSOFT, categoryRecord };
