// The update document (`upd:Update`, domain.md §3): parsed into the UpdateRecord our database stores, and rendered
// back in the shape of the real documents in fixtures/wsusss/docs. Only what UpdateRecord holds survives a
// parse; applicability rules and installer data are not kept, so a re-rendered document is a metadata document,
// not an installable one.
import { isClassificationId } from "./classifications.ts";
import { normalizeGuid, parseCount } from "./guid.ts";
import { CAT_NS, LAR_NS, UPD_NS, XSI_NS } from "./namespaces.ts";
import {
  CATEGORY_TYPES,
  MSRC_SEVERITIES,
  UPDATE_TYPES,
  type CategoryType,
  type LocalizedText,
  type MsrcSeverity,
  type UpdateFile,
  type UpdateIdentity,
  type UpdateRecord,
  type UpdateType,
} from "./types.ts";
import {
  attr,
  el,
  findChild,
  findChildren,
  parseXml,
  XmlError,
  XmlLimitError,
  type Content,
  type ParseXmlOptions,
  type XmlElement,
} from "./xml.ts";

export class UpdateXmlError extends Error {
  override name = "UpdateXmlError";
  constructor(
    message: string,
    /** Refused by a safety rule (a DTD, a processing instruction, past a limit), not merely wrong or incomplete. */
    readonly unsafe = false,
  ) {
    super(message);
  }
}

export interface ParseUpdateXmlOptions {
  /**
   * Says whether an id is a known category (product, product family, company). Real documents are not consistent:
   * some mark the product group `IsCategory="true"`, others (the Defender bundles) write a plain `AtLeastOne`, which
   * can also be an OR of detectoids. Groups marked IsCategory are always categories; for unmarked groups this
   * decides, and without it their ids are taken as products. Pass the ids learned from GetConfig=true.
   */
  isCategoryId?: (id: string) => boolean;
}

/** Longest document we parse: the largest real one is 38 KB; metadata for a big cumulative update stays well under. */
export const MAX_DOCUMENT_CHARS = 16 * 1024 * 1024;

/**
 * XML limits for update documents: the real ones go 10 levels deep with a few hundred elements, 9 attributes on an
 * element and attribute values of at most 80 characters; applicability rules nest deeper, never near 128.
 */
export const UPDATE_XML_LIMITS: Readonly<ParseXmlOptions> = { maxLength: MAX_DOCUMENT_CHARS, maxDepth: 128 };

// ---------------------------------------------------------------- parse

export function parseUpdateXml(xml: string, options: ParseUpdateXmlOptions = {}): UpdateRecord {
  if (xml.length > MAX_DOCUMENT_CHARS) {
    throw new UpdateXmlError(`update XML is too large (${xml.length} characters, at most ${MAX_DOCUMENT_CHARS})`, true);
  }
  let root: XmlElement;
  try {
    root = parseXml(xml, UPDATE_XML_LIMITS);
  } catch (err) {
    if (err instanceof XmlLimitError) throw new UpdateXmlError(`update XML is refused: ${err.message}`, true);
    if (err instanceof XmlError) throw new UpdateXmlError(`update XML is malformed: ${err.message}`);
    throw err;
  }
  if (root.ns !== UPD_NS || root.local !== "Update") {
    throw new UpdateXmlError(`expected an upd:Update root element, found <${root.name}>`);
  }

  const identity = required(root, "UpdateIdentity");
  const updateId = guidAttr(identity, "UpdateID");
  const revisionNumber = countAttr(identity, "RevisionNumber");
  const properties = required(root, "Properties");
  const updateType = oneOf(properties, "UpdateType", UPDATE_TYPES);
  const publicationState = attr(properties, "PublicationState") ?? "Published";
  if (publicationState !== "Published" && publicationState !== "Expired") {
    throw new UpdateXmlError(`upd:Properties/@PublicationState: unknown value "${publicationState}"`);
  }
  const creationDate = attr(properties, "CreationDate");
  if (!creationDate) throw new UpdateXmlError("upd:Properties/@CreationDate is missing");

  const record: UpdateRecord = {
    updateId,
    revisionNumber,
    updateType,
    parentCategoryIds: [],
    defaultLanguage: attr(properties, "DefaultPropertiesLanguage") ?? "",
    localized: [],
    creationDate,
    publicationState,
    kbArticleIds: texts(properties, "KBArticleID"),
    securityBulletinIds: texts(properties, "SecurityBulletinID"),
    cveIds: texts(properties, "CveID"),
    classificationIds: [],
    productIds: [],
    prerequisiteIds: [],
    bundledUpdates: [],
    supersededUpdateIds: [],
    files: [],
  };

  const severity = attr(properties, "MsrcSeverity");
  // Microsoft also writes "Unspecified"; only the four real ratings mean anything to us.
  if (severity && (MSRC_SEVERITIES as readonly string[]).includes(severity)) {
    record.msrcSeverity = severity as MsrcSeverity;
  }
  const maxDownloadSize = attr(properties, "MaxDownloadSize");
  if (maxDownloadSize !== undefined) record.maxDownloadSize = count(maxDownloadSize, "upd:Properties/@MaxDownloadSize");
  const isBeta = attr(properties, "IsBeta");
  if (isBeta !== undefined) record.isBeta = bool(isBeta, "upd:Properties/@IsBeta");

  const localizedUrls = readLocalized(root, record);
  const supportUrl = text(properties, "SupportUrl") ?? localizedUrls.supportUrl;
  if (supportUrl !== undefined) record.supportUrl = supportUrl;
  if (localizedUrls.moreInfoUrl !== undefined) record.moreInfoUrl = localizedUrls.moreInfoUrl;

  readRelationships(root, record, options);
  record.files = readFiles(root);

  if (updateType === "Category") record.categoryType = readCategoryType(root);
  return record;
}

function readLocalized(root: XmlElement, record: UpdateRecord): { supportUrl?: string; moreInfoUrl?: string } {
  const collection = findChild(root, UPD_NS, "LocalizedPropertiesCollection");
  if (!collection) return {};
  const urls = new Map<string, { supportUrl?: string; moreInfoUrl?: string }>();
  for (const props of findChildren(collection, UPD_NS, "LocalizedProperties")) {
    const language = text(props, "Language");
    if (!language) throw new UpdateXmlError("upd:LocalizedProperties without upd:Language");
    const entry: LocalizedText = { language, title: text(props, "Title") ?? "" };
    const description = text(props, "Description");
    if (description !== undefined) entry.description = description;
    record.localized.push(entry);
    urls.set(language, { supportUrl: text(props, "SupportUrl"), moreInfoUrl: text(props, "MoreInfoUrl") });
  }
  // Real documents repeat the URLs in every language; the default language's copy is the one we keep.
  const preferred = urls.get(record.defaultLanguage);
  const pick = (key: "supportUrl" | "moreInfoUrl") =>
    preferred?.[key] ?? [...urls.values()].find((u) => u[key] !== undefined)?.[key];
  return { supportUrl: pick("supportUrl"), moreInfoUrl: pick("moreInfoUrl") };
}

function readRelationships(root: XmlElement, record: UpdateRecord, options: ParseUpdateXmlOptions): void {
  const relationships = findChild(root, UPD_NS, "Relationships");
  if (!relationships) return;
  const isCategory = record.updateType === "Category";

  const prerequisites = findChild(relationships, UPD_NS, "Prerequisites");
  for (const child of prerequisites?.children ?? []) {
    if (child.ns !== UPD_NS) continue;
    if (child.local === "UpdateIdentity") {
      addUnique(record.prerequisiteIds, guidAttr(child, "UpdateID"));
    } else if (child.local === "AtLeastOne") {
      const marked = attr(child, "IsCategory") === "true";
      for (const member of findChildren(child, UPD_NS, "UpdateIdentity")) {
        const id = guidAttr(member, "UpdateID");
        if (isCategory) addUnique(record.parentCategoryIds, id);
        else if (isClassificationId(id)) addUnique(record.classificationIds, id);
        else if (marked || (options.isCategoryId?.(id) ?? true)) addUnique(record.productIds, id);
        else addUnique(record.prerequisiteIds, id);
      }
    }
  }

  const bundled = findChild(relationships, UPD_NS, "BundledUpdates");
  const seen = new Set<string>();
  for (const child of bundled?.children ?? []) {
    const members = child.local === "AtLeastOne" ? findChildren(child, UPD_NS, "UpdateIdentity") : [child];
    for (const member of members) {
      if (member.ns !== UPD_NS || member.local !== "UpdateIdentity") continue;
      const identity: UpdateIdentity = {
        updateId: guidAttr(member, "UpdateID"),
        revisionNumber: countAttr(member, "RevisionNumber"),
      };
      const key = `${identity.updateId},${identity.revisionNumber}`;
      if (!seen.has(key)) record.bundledUpdates.push(identity);
      seen.add(key);
    }
  }

  const superseded = findChild(relationships, UPD_NS, "SupersededUpdates");
  for (const member of superseded ? findChildren(superseded, UPD_NS, "UpdateIdentity") : []) {
    addUnique(record.supersededUpdateIds, guidAttr(member, "UpdateID"));
  }
}

function readFiles(root: XmlElement): UpdateFile[] {
  const files = findChild(root, UPD_NS, "Files");
  if (!files) return [];
  return findChildren(files, UPD_NS, "File").map((file) => {
    const fileName = attr(file, "FileName");
    if (!fileName) throw new UpdateXmlError("upd:File/@FileName is missing");
    const digest = attr(file, "Digest");
    if (!digest) throw new UpdateXmlError(`upd:File "${fileName}": @Digest is missing`);
    const algorithm = attr(file, "DigestAlgorithm") ?? "SHA1";
    if (algorithm.toUpperCase() !== "SHA1") {
      throw new UpdateXmlError(`upd:File "${fileName}": unexpected DigestAlgorithm "${algorithm}"`);
    }
    const entry: UpdateFile = {
      fileName,
      size: count(attr(file, "Size"), `upd:File "${fileName}"/@Size`),
      sha1Digest: digest,
    };
    const sha256 = findChildren(file, UPD_NS, "AdditionalDigest").find(
      (d) => attr(d, "Algorithm")?.toUpperCase() === "SHA256",
    );
    if (sha256) entry.sha256Digest = sha256.text.trim();
    const modified = attr(file, "Modified");
    if (modified !== undefined) entry.modified = modified;
    return entry;
  });
}

function readCategoryType(root: XmlElement): CategoryType {
  const handler = findChild(root, UPD_NS, "HandlerSpecificData");
  const info = handler && findChild(handler, CAT_NS, "CategoryInformation");
  if (!info) throw new UpdateXmlError("category without cat:CategoryInformation in upd:HandlerSpecificData");
  return oneOf(info, "CategoryType", CATEGORY_TYPES, "cat:CategoryInformation");
}

// ---- small readers, each naming the element in its error ----

function required(parent: XmlElement, local: string): XmlElement {
  const found = findChild(parent, UPD_NS, local);
  if (!found) throw new UpdateXmlError(`upd:${local} is missing`);
  return found;
}

function text(parent: XmlElement, local: string): string | undefined {
  return findChild(parent, UPD_NS, local)?.text;
}

function texts(parent: XmlElement, local: string): string[] {
  const values: string[] = [];
  for (const child of findChildren(parent, UPD_NS, local)) addUnique(values, child.text.trim());
  return values;
}

function guidAttr(element: XmlElement, name: string): string {
  const value = attr(element, name);
  const guid = normalizeGuid(value);
  if (!guid) {
    throw new UpdateXmlError(
      value === undefined
        ? `${element.name}/@${name} is missing`
        : `${element.name}/@${name}: "${value}" is not a GUID`,
    );
  }
  return guid;
}

function countAttr(element: XmlElement, name: string): number {
  return count(attr(element, name), `${element.name}/@${name}`);
}

function count(value: string | undefined, where: string): number {
  const parsed = parseCount(value);
  if (parsed === undefined) {
    throw new UpdateXmlError(value === undefined ? `${where} is missing` : `${where}: "${value}" is not a count`);
  }
  return parsed;
}

function bool(value: string, where: string): boolean {
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw new UpdateXmlError(`${where}: "${value}" is not a boolean`);
}

function oneOf<T extends string>(element: XmlElement, name: string, allowed: readonly T[], label = element.name): T {
  const value = attr(element, name);
  if (value === undefined) throw new UpdateXmlError(`${label}/@${name} is missing`);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UpdateXmlError(`${label}/@${name}: unknown value "${value}"`);
  }
  return value as T;
}

function addUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

/**
 * The SHA-1 digests of a document's files, for GetUpdateData's FileDigestList. Reads only upd:Files, so a document
 * parseUpdateXml would refuse for some other reason still lists its files; unreadable XML lists none.
 */
export function updateFileDigests(xml: string): string[] {
  try {
    const files = findChild(parseXml(xml, UPDATE_XML_LIMITS), UPD_NS, "Files");
    return (files ? findChildren(files, UPD_NS, "File") : [])
      .map((f) => attr(f, "Digest"))
      .filter((d): d is string => Boolean(d));
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------- render

const CATEGORY_HANDLER = "http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/Category";

/**
 * Renders a record as an `upd:Update` document shaped like Microsoft's: the classification and the products as
 * `AtLeastOne IsCategory="true"` prerequisites, categories with `cat:CategoryInformation`. Throws UpdateXmlError for a
 * record that cannot be written (a category without its type, text with characters XML cannot hold).
 */
export function renderUpdateXml(record: UpdateRecord): string {
  const isCategory = record.updateType === "Category";
  // The document cannot tell a category's parents from an update's products (both are category prerequisites),
  // so a record mixing them would not read back as itself.
  if (isCategory && !record.categoryType) {
    throw new UpdateXmlError(`update ${record.updateId}: a Category needs a categoryType`);
  }
  if (isCategory && (record.classificationIds.length > 0 || record.productIds.length > 0)) {
    throw new UpdateXmlError(
      `update ${record.updateId}: a Category has parentCategoryIds, not products or classifications`,
    );
  }
  if (!isCategory && (record.parentCategoryIds.length > 0 || record.categoryType !== undefined)) {
    throw new UpdateXmlError(`update ${record.updateId}: only a Category has parentCategoryIds and a categoryType`);
  }
  const misfiled = [
    ...record.classificationIds.filter((id) => !isClassificationId(id)),
    ...record.productIds.filter(isClassificationId),
  ];
  if (misfiled.length > 0) {
    throw new UpdateXmlError(`update ${record.updateId}: ${misfiled[0]} is filed as the wrong kind of category`);
  }
  try {
    return el(
      "upd:Update",
      {
        "xmlns:upd": UPD_NS,
        "xmlns:cat": isCategory ? CAT_NS : undefined,
        "xmlns:lar": isCategory ? LAR_NS : undefined,
      },
      [
        el("upd:UpdateIdentity", { UpdateID: record.updateId, RevisionNumber: record.revisionNumber }),
        renderProperties(record),
        record.localized.length > 0 &&
          el(
            "upd:LocalizedPropertiesCollection",
            null,
            record.localized.map((l) => renderLocalized(l, record)),
          ),
        renderRelationships(record),
        isCategory && el("upd:ApplicabilityRules", null, [el("upd:IsInstalled", null, [el("lar:True", null)])]),
        record.files.length > 0 && el("upd:Files", null, record.files.map(renderFile)),
        isCategory &&
          el("upd:HandlerSpecificData", { "xsi:type": "cat:Category", "xmlns:xsi": XSI_NS }, [
            el("cat:CategoryInformation", {
              CategoryType: record.categoryType,
              ProhibitsSubcategories: "false",
              // Companies and product families hold products, never updates (as in the real documents).
              ProhibitsUpdates: record.categoryType === "Company" || record.categoryType === "ProductFamily",
            }),
          ]),
      ],
    ).raw;
  } catch (err) {
    if (err instanceof XmlError) throw new UpdateXmlError(`update ${record.updateId}: ${err.message}`);
    throw err;
  }
}

function renderProperties(record: UpdateRecord): Content {
  return el(
    "upd:Properties",
    {
      UpdateType: record.updateType satisfies UpdateType,
      DefaultPropertiesLanguage: record.defaultLanguage || undefined,
      Handler: record.updateType === "Category" ? CATEGORY_HANDLER : undefined,
      MsrcSeverity: record.msrcSeverity,
      IsBeta: record.isBeta,
      MaxDownloadSize: record.maxDownloadSize,
      PublicationState: record.publicationState,
      CreationDate: record.creationDate,
    },
    [
      record.supportUrl !== undefined && el("upd:SupportUrl", null, [record.supportUrl]),
      ...record.securityBulletinIds.map((id) => el("upd:SecurityBulletinID", null, [id])),
      ...record.kbArticleIds.map((id) => el("upd:KBArticleID", null, [id])),
      ...record.cveIds.map((id) => el("upd:CveID", null, [id])),
    ],
  );
}

function renderLocalized(localized: LocalizedText, record: UpdateRecord): Content {
  return el("upd:LocalizedProperties", null, [
    el("upd:Language", null, [localized.language]),
    el("upd:Title", null, [localized.title]),
    localized.description !== undefined && el("upd:Description", null, [localized.description]),
    // Microsoft repeats the URL in every language; parse reads it back from the default language.
    record.moreInfoUrl !== undefined && el("upd:MoreInfoUrl", null, [record.moreInfoUrl]),
  ]);
}

function renderRelationships(record: UpdateRecord): Content {
  const identity = (id: string) => el("upd:UpdateIdentity", { UpdateID: id });
  const categoryGroup = (ids: string[]) =>
    ids.length > 0 && el("upd:AtLeastOne", { IsCategory: "true" }, ids.map(identity));
  const superseded = record.supersededUpdateIds;
  const prerequisites: Content[] = [
    ...record.prerequisiteIds.map(identity),
    categoryGroup(record.classificationIds),
    categoryGroup(record.productIds),
    categoryGroup(record.parentCategoryIds),
  ].filter(Boolean);
  const bundled = record.bundledUpdates;
  if (superseded.length === 0 && prerequisites.length === 0 && bundled.length === 0) return false;
  return el("upd:Relationships", null, [
    superseded.length > 0 && el("upd:SupersededUpdates", null, superseded.map(identity)),
    prerequisites.length > 0 && el("upd:Prerequisites", null, prerequisites),
    bundled.length > 0 &&
      el("upd:BundledUpdates", null, [
        el(
          "upd:AtLeastOne",
          null,
          bundled.map((b) => el("upd:UpdateIdentity", { UpdateID: b.updateId, RevisionNumber: b.revisionNumber })),
        ),
      ]),
  ]);
}

function renderFile(file: UpdateFile): Content {
  return el(
    "upd:File",
    {
      Digest: file.sha1Digest,
      DigestAlgorithm: "SHA1",
      FileName: file.fileName,
      Size: file.size,
      Modified: file.modified,
    },
    [file.sha256Digest !== undefined && el("upd:AdditionalDigest", { Algorithm: "SHA256" }, [file.sha256Digest])],
  );
}
