import { UPGRADES_CLASSIFICATION_ID } from "@syncpoint/contracts";
import {
  renderUpdateXml,
  WsusssFault,
  WsusssTransportError,
  type ServerUpdateData,
  type UpdateIdentity,
  type UpdateRecord,
} from "@syncpoint/wsusss";
import { describe, expect, it } from "vitest";
import { importFromCatalog } from "./catalog-import.ts";
import type { CatalogStore, RunReporter, UpstreamSession } from "./ports.ts";

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function record(n: number, overrides: Partial<UpdateRecord> = {}): UpdateRecord {
  return {
    updateId: id(n),
    revisionNumber: 200,
    updateType: "Software",
    defaultLanguage: "en",
    creationDate: "2026-03-10T17:00:00.000Z",
    publicationState: "Published",
    localized: [{ language: "en", title: `Update ${n}`, description: "d" }],
    kbArticleIds: [String(5000000 + n)],
    securityBulletinIds: [],
    cveIds: [],
    classificationIds: ["cd5ffd1e-e932-4e3a-bf74-18bf0b1bbd83"],
    productIds: ["72e7624a-5b00-45d2-b92f-e561c0a6a160"],
    parentCategoryIds: [],
    categoryPrerequisiteClassificationIds: [],
    otherCategoryPrerequisiteIds: [],
    prerequisiteIds: [],
    bundledUpdates: [],
    supersededUpdateIds: [],
    files: [],
    ...overrides,
  } as UpdateRecord;
}

/** An upstream that knows these records; GetUpdateData for anything else is a SOAP fault, as WSUS answers. */
function upstream(records: UpdateRecord[], options: { down?: boolean } = {}) {
  const asked: UpdateIdentity[] = [];
  const session: UpstreamSession = {
    authorize: async () => undefined,
    getConfigData: async () => {
      throw new Error("not used");
    },
    getRevisionIdList: async () => {
      throw new Error("not used");
    },
    async getUpdateData(ids: UpdateIdentity[]): Promise<ServerUpdateData> {
      asked.push(...ids);
      if (options.down)
        throw new WsusssTransportError("connect ECONNREFUSED 127.0.0.1:8530", undefined, "GetUpdateData");
      const updates = ids.map((wanted) => {
        const found = records.find((r) => r.updateId === wanted.updateId && r.revisionNumber === wanted.revisionNumber);
        if (!found) throw new WsusssFault("InternalServerError", `unknown update ${wanted.updateId}`, "GetUpdateData");
        return { identity: wanted, xml: renderUpdateXml(found) };
      });
      return { updates, fileUrls: [] } as unknown as ServerUpdateData;
    },
  };
  return { session, asked };
}

function deps(session: UpstreamSession, stored: Map<string, number> = new Map()) {
  const saved: UpdateRecord[] = [];
  const log: string[] = [];
  const store = {
    saveRevisions: async (records: UpdateRecord[]) => void saved.push(...records),
    latestStoredRevision: async (updateId: string) => stored.get(updateId),
  } as unknown as CatalogStore;
  const reporter = { log: async (text: string) => void log.push(text) } as unknown as RunReporter;
  return { deps: { upstream: session, store, reporter }, saved, log };
}

describe("importing updates from the catalog", () => {
  it("takes a basket update with its bundled updates and prerequisites, each recorded with why it came", async () => {
    const leaf = record(2);
    const detectoid = record(3, { updateType: "Detectoid", revisionNumber: 7 });
    const bundle = record(1, {
      bundledUpdates: [{ updateId: leaf.updateId, revisionNumber: 200 }],
      prerequisiteIds: [detectoid.updateId.toUpperCase()],
    });
    const { session } = upstream([bundle, leaf, detectoid]);
    const { deps: d, saved } = deps(session, new Map([[detectoid.updateId, 7]]));
    const outcome = await importFromCatalog(d, [{ updateId: bundle.updateId, revisionNumber: 200 }], new Map());
    expect(outcome.failed).toEqual([]);
    expect(outcome.imported.map((i) => [i.updateId, i.reason, i.requiredBy])).toEqual([
      [bundle.updateId, "basket", null],
      [leaf.updateId, "bundled", bundle.updateId],
      [detectoid.updateId, "prerequisite", bundle.updateId],
    ]);
    expect(saved.map((r) => r.updateId)).toEqual([bundle.updateId, leaf.updateId, detectoid.updateId]);
  });

  it("resolves a prerequisite named by id through the revisions this run listed first", async () => {
    const prerequisite = record(5, { revisionNumber: 9 });
    const update = record(4, { prerequisiteIds: [prerequisite.updateId] });
    const { session, asked } = upstream([update, prerequisite]);
    const { deps: d } = deps(session, new Map([[prerequisite.updateId, 3]]));
    await importFromCatalog(
      d,
      [{ updateId: update.updateId, revisionNumber: 200 }],
      new Map([[prerequisite.updateId, 9]]),
    );
    expect(asked.at(-1)).toEqual({ updateId: prerequisite.updateId, revisionNumber: 9 });
  });

  it("fails an update the upstream does not know on its own, and refuses feature updates", async () => {
    const good = record(6);
    const feature = record(7, { classificationIds: [UPGRADES_CLASSIFICATION_ID] });
    const { session } = upstream([good, feature]);
    const { deps: d, saved, log } = deps(session);
    const outcome = await importFromCatalog(
      d,
      [
        { updateId: id(99), revisionNumber: 1 },
        { updateId: good.updateId, revisionNumber: 200 },
        { updateId: feature.updateId, revisionNumber: 200 },
      ],
      new Map(),
    );
    expect(outcome.imported.map((i) => i.updateId)).toEqual([good.updateId]);
    expect(outcome.failed).toEqual([
      { updateId: id(99), code: "IMPORT_NOT_FOUND", message: expect.stringContaining("does not offer update") },
      {
        updateId: feature.updateId,
        code: "FEATURE_UPDATE_NOT_IMPORTABLE",
        message: expect.stringContaining("feature update"),
      },
    ]);
    expect(saved.map((r) => r.updateId)).toEqual([good.updateId]);
    expect(log.some((l) => l.startsWith(`Import of ${id(99)} failed`))).toBe(true);
  });

  it("does not import a basket update whose bundled update is missing: the update is the unit", async () => {
    const bundle = record(8, { bundledUpdates: [{ updateId: id(98), revisionNumber: 1 }] });
    const { session } = upstream([bundle]);
    const { deps: d } = deps(session);
    const outcome = await importFromCatalog(d, [{ updateId: bundle.updateId, revisionNumber: 200 }], new Map());
    expect(outcome.imported).toEqual([]);
    expect(outcome.failed).toEqual([
      {
        updateId: bundle.updateId,
        code: "IMPORT_NOT_FOUND",
        message: expect.stringContaining(`its bundled update ${id(98)}`),
      },
    ]);
  });

  it("fails the run, not the updates, when the upstream cannot be reached: the basket waits", async () => {
    const { session } = upstream([], { down: true });
    const { deps: d } = deps(session);
    await expect(importFromCatalog(d, [{ updateId: id(1), revisionNumber: 200 }], new Map())).rejects.toBeInstanceOf(
      WsusssTransportError,
    );
  });
});
