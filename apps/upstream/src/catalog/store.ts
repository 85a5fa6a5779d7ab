// The upstream's catalog in memory: category and update records, indexed for the MS-WSUSSS backend and the admin API.
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
import { generateCatalog, type CatalogOptions } from "./generate.ts";

interface Entry {
  record: UpdateRecord;
  /** The period in which this revision was published (0 = the initial catalog); delta answers compare with it. */
  period: number;
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

const ANCHOR = /^(\d+),(\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/;

export class CatalogStore {
  private readonly categories = new Map<string, Entry>();
  private readonly updates = new Map<string, Entry>();
  /** Every stored revision by `id,rev`, for GetUpdateData. */
  private readonly revisions = new Map<string, UpdateRecord>();
  private period = 0;

  constructor(readonly options: CatalogOptions) {
    const { categories, updates } = generateCatalog(options);
    for (const record of categories) this.put(this.categories, record);
    for (const record of updates) this.put(this.updates, record);
  }

  private put(index: Map<string, Entry>, record: UpdateRecord): void {
    index.set(record.updateId, { record, period: this.period });
    this.revisions.set(key(record), record);
  }

  get currentPeriod(): number {
    return this.period;
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

  updateXml(ids: UpdateIdentity[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const id of ids) {
      const record = this.revisions.get(
        key({ updateId: id.updateId.toLowerCase(), revisionNumber: id.revisionNumber }),
      );
      if (!record)
        throw new WsusssFault(
          "InternalServerError",
          `unknown update ${id.updateId} revision ${id.revisionNumber}`,
          "GetUpdateData",
        );
      out.set(key(id), renderUpdateXml(record));
    }
    return out;
  }

  /** The digest of the latest revision of every update matching the filter (DESIGN.md, "Catalog digest"). */
  digest(filter: DigestFilter): CatalogDigest {
    return computeCatalogDigest(
      [...this.updates.values()].map((e) => e.record).filter((r) => matchesFilter(r, filter)),
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
    for (const { record } of this.updates.values()) {
      for (const p of record.productIds) byProduct[p] = (byProduct[p] ?? 0) + 1;
      for (const c of record.classificationIds) byClassification[c] = (byClassification[c] ?? 0) + 1;
    }
    return { total: this.updates.size, byProduct, byClassification, period: this.period };
  }

  categoryRecords(): UpdateRecord[] {
    return [...this.categories.values()].map((e) => e.record);
  }
}
