// The upstream's catalog in memory: category and update records, indexed for the MS-WSUSSS backend, the admin API
// and catalog search. Its history is deterministic from (seed, size, period): period 0 is the generated catalog and
// each `advance` publishes one more month (new updates, revisions, expirations, sometimes a new product), so a
// restart that replays the persisted period reproduces exactly what downstream servers already synced.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  computeCatalogDigest,
  renderUpdateXml,
  WsusssFault,
  type CatalogDigest,
  type DigestFilter,
  type RevisionFilter,
  type RevisionIdList,
  type UpdateIdentity,
  type UpdateRecord,
} from "@syncpoint/wsusss";
import { CLASSIFICATION_IDS, FAMILIES, type CategoryDef } from "./categories.ts";
import { BASE_MONTH, categoryRecord, generateCatalog, nextMonth, type Builder } from "./generate.ts";
import { seededRandom, stableGuid } from "./random.ts";

interface Entry {
  record: UpdateRecord;
  /** The period in which this revision was published (0 = the initial catalog); delta answers compare with it. */
  period: number;
}

export interface StoreOptions {
  seed: number;
  updates: number;
  /** Where (seed, size, period) persist; without it the state lives only in memory. */
  statePath?: string;
}

export interface AdvanceResult {
  period: number;
  added: number;
  revised: number;
  expired: number;
  superseded: number;
  newProducts: string[];
}

export interface SearchHit {
  updateId: string;
  revisionNumber: number;
  title: string;
  kbArticleIds: string[];
  classificationIds: string[];
  productIds: string[];
  creationDate: string;
  catalogOnly: boolean;
}

const key = (id: UpdateIdentity) => `${id.updateId},${id.revisionNumber}`;

/** Whether an update matches a filter: any selected product, any selected classification, any language; empty = all. */
export function matchesFilter(record: UpdateRecord, filter: DigestFilter): boolean {
  const any = (selected: string[], values: string[]) =>
    selected.length === 0 || values.some((v) => selected.includes(v));
  return (
    any(filter.products, record.productIds) &&
    any(filter.classifications, record.classificationIds) &&
    any(
      filter.languages,
      record.localized.map((l) => l.language.toLowerCase()),
    )
  );
}

/** Products that appear as time goes on, in order (the new-product case administrators miss, domain.md §7.11). */
const FUTURE_PRODUCTS: { name: string; family: string }[] = [
  { name: "Windows 11, version 26H1 and later", family: FAMILIES.windows },
  { name: "Microsoft Server Operating System-26H1", family: FAMILIES.windows },
  { name: "Microsoft SQL Server 2025", family: FAMILIES.sqlServer },
  { name: ".NET 10.0", family: FAMILIES.developerTools },
];

const ANCHOR = /^(\d+),(\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/;

export class CatalogStore {
  private readonly categories = new Map<string, Entry>();
  private readonly updates = new Map<string, Entry>();
  /** Every revision ever published, by `id,rev`, for GetUpdateData (a downstream may still ask for an old one). */
  private readonly revisions = new Map<string, UpdateRecord>();
  private readonly catalogOnly: Set<string>;
  private readonly builder: Builder;
  private period = 0;

  constructor(readonly options: StoreOptions) {
    const saved = options.statePath ? readState(options.statePath) : undefined;
    const seed = saved?.seed ?? options.seed;
    const size = saved?.updates ?? options.updates;
    this.options = { ...options, seed, updates: size };
    const { categories, updates, builder, catalogOnly } = generateCatalog({ seed, updates: size });
    this.builder = builder;
    this.catalogOnly = catalogOnly;
    for (const record of categories) this.put(this.categories, record);
    for (const record of updates) this.put(this.updates, record);
    for (let p = 0; p < (saved?.period ?? 0); p++) this.publishNextPeriod();
    this.persist();
  }

  private put(index: Map<string, Entry>, record: UpdateRecord): void {
    index.set(record.updateId, { record, period: this.period });
    this.revisions.set(key(record), record);
    // Once pre-rendering is on, what later periods publish is rendered when published, not when asked for.
    this.rendered?.set(key(record), renderUpdateXml(record));
  }

  get currentPeriod(): number {
    return this.period;
  }

  get seed(): number {
    return this.options.seed;
  }

  /** An opaque anchor, shaped like a real WSUS one (`9438,2026-10-04 16:33:26.750`): the period and when. */
  anchor(): string {
    return `${this.period},${new Date().toISOString()}`;
  }

  private anchorPeriod(anchor: string | undefined): number | undefined {
    if (anchor === undefined || anchor === "") return undefined;
    const match = ANCHOR.exec(anchor);
    const period = match ? Number(match[1]) : NaN;
    if (!match || period > this.period) throw new WsusssFault("InvalidParameters", "filter", "GetRevisionIdList");
    return period;
  }

  revisionIdList(filter: RevisionFilter): RevisionIdList {
    const since = this.anchorPeriod(filter.anchor);
    const changed = (entry: Entry, delta: boolean) => !delta || since === undefined || entry.period > since;
    let entries: Entry[];
    if (filter.getConfig) {
      entries = [...this.categories.values()].filter((e) => changed(e, true));
    } else {
      const products = filter.categories ?? [];
      const classifications = filter.classifications ?? [];
      entries = [...this.updates.values()].filter((entry) => {
        const { record } = entry;
        if (this.catalogOnly.has(record.updateId)) return false;
        const product = products.find((p) => record.productIds.includes(p.id.toLowerCase()));
        const classification = classifications.find((c) => record.classificationIds.includes(c.id.toLowerCase()));
        if (products.length > 0 && !product) return false;
        if (classifications.length > 0 && !classification) return false;
        // Per-item Delta: a newly selected product or classification asks for everything it holds.
        const delta = (product?.delta ?? true) && (classification?.delta ?? true);
        return changed(entry, delta);
      });
    }
    return {
      anchor: this.anchor(),
      revisions: entries.map((e) => ({ updateId: e.record.updateId, revisionNumber: e.record.revisionNumber })),
    };
  }

  /** The stored revision (any revision ever published), or undefined. */
  revision(id: UpdateIdentity): UpdateRecord | undefined {
    return this.revisions.get(key({ updateId: id.updateId.toLowerCase(), revisionNumber: id.revisionNumber }));
  }

  /** Documents rendered ahead of time (benchmarks time the downstream, not our rendering). */
  private rendered: Map<string, string> | undefined;

  prerender(): void {
    this.rendered = new Map([...this.revisions].map(([k, record]) => [k, renderUpdateXml(record)]));
  }

  updateXml(ids: UpdateIdentity[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const id of ids) {
      const cached = this.rendered?.get(
        key({ updateId: id.updateId.toLowerCase(), revisionNumber: id.revisionNumber }),
      );
      if (cached) {
        out.set(key(id), cached);
        continue;
      }
      const record = this.revision(id);
      if (!record) {
        throw new WsusssFault(
          "InternalServerError",
          `unknown update ${id.updateId} revision ${id.revisionNumber}`,
          "GetUpdateData",
        );
      }
      out.set(key(id), renderUpdateXml(record));
    }
    return out;
  }

  /** The digest of the latest revision of every synchronizable update matching the filter (DESIGN.md, "Catalog digest"). */
  digest(filter: DigestFilter): CatalogDigest {
    return computeCatalogDigest(
      [...this.updates.values()]
        .map((e) => e.record)
        .filter((r) => !this.catalogOnly.has(r.updateId) && matchesFilter(r, filter)),
    );
  }

  stats(): {
    total: number;
    byProduct: Record<string, number>;
    byClassification: Record<string, number>;
    period: number;
  } {
    const byProduct: Record<string, number> = {};
    const byClassification: Record<string, number> = {};
    let total = 0;
    for (const { record } of this.updates.values()) {
      if (this.catalogOnly.has(record.updateId)) continue;
      total++;
      for (const p of record.productIds) byProduct[p] = (byProduct[p] ?? 0) + 1;
      for (const c of record.classificationIds) byClassification[c] = (byClassification[c] ?? 0) + 1;
    }
    return { total, byProduct, byClassification, period: this.period };
  }

  /** Catalog search (Microsoft Update Catalog style): a KB number, an update id, or title words; catalog-only included. */
  search(query: string, limit = 50): SearchHit[] {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const kb = /^(?:kb)?(\d{4,8})$/.exec(q)?.[1];
    const words = q.split(/\s+/);
    const hits: SearchHit[] = [];
    for (const { record } of this.updates.values()) {
      const title = (record.localized.find((l) => l.language === "en") ?? record.localized[0])?.title ?? "";
      const match = kb
        ? record.kbArticleIds.includes(kb)
        : record.updateId === q || words.every((w) => title.toLowerCase().includes(w));
      if (!match) continue;
      hits.push({
        updateId: record.updateId,
        revisionNumber: record.revisionNumber,
        title,
        kbArticleIds: record.kbArticleIds,
        classificationIds: record.classificationIds,
        productIds: record.productIds,
        creationDate: record.creationDate,
        catalogOnly: this.catalogOnly.has(record.updateId),
      });
    }
    return hits.sort((a, b) => (a.creationDate < b.creationDate ? 1 : -1)).slice(0, limit);
  }

  /** Publishes the next period(s) and persists the new period. */
  advance(periods = 1): AdvanceResult {
    const total: AdvanceResult = {
      period: this.period,
      added: 0,
      revised: 0,
      expired: 0,
      superseded: 0,
      newProducts: [],
    };
    for (let i = 0; i < periods; i++) {
      const r = this.publishNextPeriod();
      total.period = r.period;
      total.added += r.added;
      total.revised += r.revised;
      total.expired += r.expired;
      total.superseded += r.superseded;
      total.newProducts.push(...r.newProducts);
    }
    this.persist();
    return total;
  }

  private publishNextPeriod(): AdvanceResult {
    this.period++;
    const period = this.period;
    const random = seededRandom(this.options.seed * 7919 + period);
    let month = BASE_MONTH;
    for (let p = 0; p < period; p++) month = nextMonth(month);
    const result: AdvanceResult = { period, added: 0, revised: 0, expired: 0, superseded: 0, newProducts: [] };

    // 1. Patch Tuesday and the month's definition updates.
    this.builder.month(month);
    this.builder.definitions(20, month, new Date(nextMonth(month).getTime() - 1));
    const published = this.builder.updates.splice(0);

    // 2. Now and then a product nobody has selected yet, with its first updates.
    if (period % 3 === 0 && period / 3 <= FUTURE_PRODUCTS.length) {
      const future = FUTURE_PRODUCTS[period / 3 - 1]!;
      const def: CategoryDef = {
        id: stableGuid(this.options.seed, `product:${future.name}`),
        title: future.name,
        type: "Product",
        parentId: future.family,
      };
      this.put(this.categories, categoryRecord(def));
      result.newProducts.push(def.id);
      for (let i = 0; i < 3; i++) {
        const template =
          published.find((u) => u.classificationIds.includes(CLASSIFICATION_IDS.securityUpdates)) ?? published[0]!;
        const id = stableGuid(this.options.seed, `${def.id}:${i}`);
        published.push({
          ...template,
          updateId: id,
          revisionNumber: 200,
          productIds: [def.id],
          supersededUpdateIds: [],
          localized: [
            {
              language: "en",
              title: `${template.localized[0]!.title.replace(/ \(KB\d+\)$/, "")} for ${future.name} (part ${i + 1})`,
            },
          ],
        });
      }
    }

    for (const record of published) {
      if (this.builder.catalogOnly.has(record.updateId)) this.catalogOnly.add(record.updateId);
      for (const old of record.supersededUpdateIds) if (this.updates.has(old)) result.superseded++;
      this.put(this.updates, record);
      result.added++;
    }

    // 3. Revisions and expirations of older updates (both are new revisions in WSUS terms).
    const older = [...this.updates.values()].filter(
      (e) => e.period < period && !this.catalogOnly.has(e.record.updateId),
    );
    const pickOlder = () => older[Math.floor(random() * older.length)];
    for (let i = 0; i < 3 && older.length > 0; i++) {
      const entry = pickOlder();
      if (!entry || entry.period === period) continue;
      const record = entry.record;
      this.put(this.updates, {
        ...record,
        revisionNumber: record.revisionNumber + 1,
        localized: record.localized.map((l) => ({
          ...l,
          description: `${l.description ?? ""} (Revised ${month.toISOString().slice(0, 7)})`.trim(),
        })),
      });
      result.revised++;
    }
    const supersededIds = new Set([...this.updates.values()].flatMap((e) => e.record.supersededUpdateIds));
    const expirable = older.filter(
      (e) => supersededIds.has(e.record.updateId) && e.record.publicationState === "Published" && e.period < period,
    );
    for (let i = 0; i < 2 && expirable.length > 0; i++) {
      const entry = expirable.splice(Math.floor(random() * expirable.length), 1)[0]!;
      if (this.updates.get(entry.record.updateId)?.period === period) continue;
      this.put(this.updates, {
        ...entry.record,
        revisionNumber: entry.record.revisionNumber + 1,
        publicationState: "Expired",
      });
      result.expired++;
    }
    return result;
  }

  private persist(): void {
    if (!this.options.statePath) return;
    const state: PersistedState = { seed: this.options.seed, updates: this.options.updates, period: this.period };
    mkdirSync(path.dirname(this.options.statePath), { recursive: true });
    const tmp = `${this.options.statePath}.tmp`;
    writeFileSync(tmp, JSON.stringify(state, null, 2));
    renameSync(tmp, this.options.statePath);
  }

  categoryRecords(): UpdateRecord[] {
    return [...this.categories.values()].map((e) => e.record);
  }
}

interface PersistedState {
  seed: number;
  updates: number;
  period: number;
}

function readState(file: string): PersistedState | undefined {
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, "utf8")) as PersistedState;
  if (![state.seed, state.updates, state.period].every((n) => Number.isInteger(n) && n >= 0)) {
    throw new Error(`${file} is not a valid upstream state (seed, updates, period)`);
  }
  return state;
}
