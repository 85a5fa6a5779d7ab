// A stored revision or category back into the UpdateRecord the wsusss server half renders for child sites.
import type { Category, UpdateRevision } from "@syncpoint/db";
import type { CategoryType, LocalizedText, UpdateFile, UpdateIdentity, UpdateRecord } from "@syncpoint/wsusss";

export function revisionToRecord(row: UpdateRevision): UpdateRecord {
  return {
    updateId: row.updateId,
    revisionNumber: row.revisionNumber,
    updateType: row.updateType as UpdateRecord["updateType"],
    parentCategoryIds: [],
    defaultLanguage: row.defaultLanguage,
    localized: row.localized as unknown as LocalizedText[],
    creationDate: row.creationDate.toISOString(),
    publicationState: row.publicationState as UpdateRecord["publicationState"],
    ...(row.msrcSeverity ? { msrcSeverity: row.msrcSeverity as UpdateRecord["msrcSeverity"] } : {}),
    kbArticleIds: row.kbArticleIds,
    securityBulletinIds: row.securityBulletinIds,
    cveIds: row.cveIds,
    ...(row.supportUrl ? { supportUrl: row.supportUrl } : {}),
    ...(row.moreInfoUrl ? { moreInfoUrl: row.moreInfoUrl } : {}),
    classificationIds: row.classificationIds,
    productIds: row.productIds,
    prerequisiteIds: row.prerequisiteIds,
    bundledUpdates: row.bundledUpdates as unknown as UpdateIdentity[],
    supersededUpdateIds: row.supersededUpdateIds,
    files: row.files as unknown as UpdateFile[],
    ...(row.maxDownloadSize !== null ? { maxDownloadSize: Number(row.maxDownloadSize) } : {}),
    ...(row.isBeta !== null ? { isBeta: row.isBeta } : {}),
  };
}

export function categoryToRecord(row: Category): UpdateRecord {
  return {
    updateId: row.id,
    revisionNumber: row.revisionNumber,
    updateType: "Category",
    categoryType: row.categoryType as CategoryType,
    parentCategoryIds: row.parentIds,
    defaultLanguage: "en",
    localized: [{ language: "en", title: row.title, description: row.title }],
    creationDate: row.firstSeenAt.toISOString(),
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
