// @syncpoint/wsusss: the MS-WSUSSS protocol (WSUS server-to-server sync, SOAP 1.1) — the client our software update
// points sync with, the server our upstream and SUP endpoints serve, the update document, and the catalog digest.
export * from "./digest.ts";
export * from "./types.ts";
export { CLASSIFICATIONS, isClassificationId, type Classification } from "./classifications.ts";
export {
  MAX_DOCUMENT_CHARS,
  parseUpdateXml,
  renderUpdateXml,
  UPDATE_XML_LIMITS,
  updateFileDigests,
  UpdateXmlError,
  type ParseUpdateXmlOptions,
} from "./update-xml.ts";
export {
  WsusssFault,
  WsusssLimitError,
  WsusssProtocolError,
  WsusssTransportError,
  type WsusssFaultDetails,
} from "./faults.ts";
export { DEFAULT_MAX_RESPONSE_BYTES, RESPONSE_XML_LIMITS, WsusssClient, type WsusssClientOptions } from "./client.ts";
export {
  decodeEntities,
  DEFAULT_XML_LIMITS,
  escapeText,
  parseXml,
  XmlError,
  XmlLimitError,
  type ParseXmlOptions,
  type XmlElement,
} from "./xml.ts";
export { decodeUtf8, Utf8Error } from "./utf8.ts";
export {
  HOSTILE_XML_ATTACKS,
  HOSTILE_XML_VERDICTS,
  hostileXml,
  type HostileXmlAttack,
  type HostileXmlOptions,
} from "./hostile-xml.ts";
export {
  CabError,
  CabLimitError,
  decodeCabinet,
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  LzxError,
  type Cabinet,
  type CabinetFile,
  type DecodeCabinetOptions,
} from "./cab.ts";
export { decodeCompressedUpdateBlob, MAX_UPDATE_BLOB_BYTES } from "./update-blob.ts";
export { MAX_ANSWER_BLOB_BYTES } from "./responses.ts";
export {
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_REQUEST_BODY_TIMEOUT_MS,
  readRequestBody,
  type ReadRequestBodyOptions,
  type RequestBody,
} from "./http-body.ts";
export {
  createWsusssServer,
  REQUEST_XML_LIMITS,
  soapFaultAnswer,
  type WsusssRequestBody,
  type WsusssBackend,
  type WsusssHttpAnswer,
  type WsusssRequestHeaders,
  type WsusssServer,
  type WsusssServerOptions,
} from "./server.ts";
export { DSS_AUTH_PATH, SERVER_SYNC_PATH } from "./namespaces.ts";
