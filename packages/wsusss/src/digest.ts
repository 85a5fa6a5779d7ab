// The catalog digest shared by the upstream and Syncpoint (DESIGN.md, "Catalog digest"): sha256 (hex) of the sorted
// lines `<updateid lowercase>,<revision>\n` for the latest revision of every non-category update matching a filter.
// Two catalogs are equal when their digests are.
import { createHash } from "node:crypto";

export interface RevisionRef {
  updateId: string;
  revisionNumber: number;
}

export interface CatalogDigest {
  count: number;
  digest: string;
}

/** Digests the given revisions; the caller passes only the latest revision of each matching update. */
export function computeCatalogDigest(revisions: Iterable<RevisionRef>): CatalogDigest {
  const lines: string[] = [];
  for (const r of revisions) lines.push(`${r.updateId.toLowerCase()},${r.revisionNumber}\n`);
  // Lines are ASCII, so code-unit order is byte order: any implementation sorting bytes agrees with this one.
  lines.sort();
  const hash = createHash("sha256");
  for (const line of lines) hash.update(line);
  return { count: lines.length, digest: hash.digest("hex") };
}

export interface DigestFilter {
  products: string[];
  classifications: string[];
  languages: string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Reads the digest filter from query parameters: comma-separated GUIDs (any case) and language codes; empty means all.
 * Throws a RangeError naming the parameter for a value that is not a GUID.
 */
export function parseDigestFilter(query: {
  products?: string;
  classifications?: string;
  languages?: string;
}): DigestFilter {
  const list = (value: string | undefined) =>
    (value ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
  const guids = (name: "products" | "classifications") => {
    const values = list(query[name]);
    const bad = values.find((v) => !GUID.test(v));
    if (bad) throw new RangeError(`${name}: "${bad}" is not a GUID`);
    return [...new Set(values)].sort();
  };
  return {
    products: guids("products"),
    classifications: guids("classifications"),
    languages: [...new Set(list(query.languages))].sort(),
  };
}
