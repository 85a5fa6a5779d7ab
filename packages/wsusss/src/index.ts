// @syncpoint/wsusss: the MS-WSUSSS protocol (WSUS server-to-server sync, SOAP 1.1) — the client our software update
// points sync with, the server our upstream and SUP endpoints serve, the update document, and the catalog digest.
export * from "./digest.ts";
export * from "./types.ts";
export { CLASSIFICATIONS, isClassificationId, type Classification } from "./classifications.ts";
export {
  parseUpdateXml,
  renderUpdateXml,
  updateFileDigests,
  UpdateXmlError,
  type ParseUpdateXmlOptions,
} from "./update-xml.ts";
export { WsusssFault, WsusssProtocolError, WsusssTransportError, type WsusssFaultDetails } from "./faults.ts";
export { WsusssClient, type WsusssClientOptions } from "./client.ts";
export {
  CabError,
  decodeCabinet,
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  LzxError,
  type Cabinet,
  type CabinetFile,
  type DecodeCabinetOptions,
} from "./cab.ts";
export { decodeCompressedUpdateBlob } from "./update-blob.ts";
export {
  createWsusssServer,
  type WsusssBackend,
  type WsusssHttpAnswer,
  type WsusssRequestHeaders,
  type WsusssServer,
  type WsusssServerOptions,
} from "./server.ts";
export { DSS_AUTH_PATH, SERVER_SYNC_PATH } from "./namespaces.ts";
