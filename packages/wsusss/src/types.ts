// The protocol's data as plain values: what the client returns, what the server's backend provides, what the
// database stores. GUIDs are always lower case here, whatever case the wire used.

export interface UpdateIdentity {
  /** Lower-case GUID. */
  updateId: string;
  revisionNumber: number;
}

export type CategoryType = "Company" | "ProductFamily" | "Product" | "UpdateClassification";

export const CATEGORY_TYPES: readonly CategoryType[] = ["Company", "ProductFamily", "Product", "UpdateClassification"];

export type UpdateType = "Software" | "Driver" | "Category" | "Detectoid";

export const UPDATE_TYPES: readonly UpdateType[] = ["Software", "Driver", "Category", "Detectoid"];

export type MsrcSeverity = "Critical" | "Important" | "Moderate" | "Low";

export const MSRC_SEVERITIES: readonly MsrcSeverity[] = ["Critical", "Important", "Moderate", "Low"];

export type PublicationState = "Published" | "Expired";

export interface LocalizedText {
  language: string;
  title: string;
  description?: string;
}

export interface UpdateFile {
  fileName: string;
  size: number;
  /** Base64 SHA-1, the file's identity in the protocol (FileDigest, content URLs). */
  sha1Digest: string;
  /** Base64 SHA-256 from upd:AdditionalDigest, when the document has one. */
  sha256Digest?: string;
  modified?: string;
}

/** One revision of an update or a category, as our database stores it. Round-trips render→parse unchanged. */
export interface UpdateRecord {
  updateId: string;
  revisionNumber: number;
  updateType: UpdateType;
  /** Only for categories. */
  categoryType?: CategoryType;
  /** Categories: their parent category ids (a Product's ProductFamily or Company, from its prerequisites). */
  parentCategoryIds: string[];
  /** DefaultPropertiesLanguage. */
  defaultLanguage: string;
  /** Every LocalizedProperties (title, description), in document order. */
  localized: LocalizedText[];
  /** ISO-8601, from Properties/@CreationDate. */
  creationDate: string;
  publicationState: PublicationState;
  msrcSeverity?: MsrcSeverity;
  kbArticleIds: string[];
  securityBulletinIds: string[];
  cveIds: string[];
  supportUrl?: string;
  moreInfoUrl?: string;
  /** Category prerequisites whose id is a known classification GUID. */
  classificationIds: string[];
  /** The other category prerequisites (AtLeastOne groups). */
  productIds: string[];
  /** Plain (non-category) prerequisite ids: detectoids and the like. */
  prerequisiteIds: string[];
  /** BundledUpdates/AtLeastOne/UpdateIdentity, with revision. */
  bundledUpdates: UpdateIdentity[];
  supersededUpdateIds: string[];
  files: UpdateFile[];
  maxDownloadSize?: number;
  isBeta?: boolean;
}

export interface ServerSyncLanguage {
  id: number;
  shortLanguage: string;
  longLanguage: string;
  enabled: boolean;
}

/** GetConfigData's answer as data. */
export interface ServerSyncConfig {
  protocolVersion: string;
  maxNumberOfUpdatesPerRequest: number;
  catalogOnlySync: boolean;
  lazySync: boolean;
  serverHostsPsfFiles: boolean;
  maxNumberOfDriverSetsPerRequest: number;
  maxNumberOfComputerIdsInRequest: number;
  maxNumberOfPnpHardwareIdsInRequest: number;
  maxUpdatesPerRequestInGetUpdateDecryptionData: number;
  newConfigAnchor: string;
  languages: ServerSyncLanguage[];
}

export interface IdAndDelta {
  id: string;
  delta: boolean;
}

export interface RevisionFilter {
  /** Opaque: whatever the server returned last time. */
  anchor?: string;
  getConfig: boolean;
  categories?: IdAndDelta[];
  classifications?: IdAndDelta[];
  languages?: { lcid: number; delta: boolean }[];
}

export interface RevisionIdList {
  anchor: string;
  revisions: UpdateIdentity[];
}

export interface FileUrl {
  /** Base64 SHA-1. */
  fileDigest: string;
  muUrl: string;
  ussUrl?: string;
}

export interface ServerUpdateData {
  /** fileDigests: the update's FileDigestList (base64 SHA-1), when the server sent one. */
  updates: { identity: UpdateIdentity; xml: string; fileDigests?: string[] }[];
  fileUrls: FileUrl[];
}

export interface AuthPlugIn {
  plugInId: string;
  serviceUrl: string;
}

export interface AuthorizationCookie {
  plugInId: string;
  cookieData: string;
}

/** The server's session cookie: opaque EncryptedData plus an advisory expiry. */
export interface Cookie {
  expiration: string;
  encryptedData: string;
}

export type WsusssErrorCode =
  | "InvalidCookie"
  | "InvalidAuthorizationCookie"
  | "IncompatibleProtocolVersion"
  | "InvalidParameters"
  | "InternalServerError";

/** The map key for one revision, as the server backend's updateXml answer uses it. */
export function wsusssUpdateKey(identity: UpdateIdentity): string {
  return `${identity.updateId},${identity.revisionNumber}`;
}
