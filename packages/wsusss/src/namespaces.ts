// Namespace URIs of the SOAP messages and of the update documents.

export const SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/";
export const XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
export const XSD_NS = "http://www.w3.org/2001/XMLSchema";

/** ServerSyncWebService: every operation except GetAuthorizationCookie. */
export const SERVER_SYNC_NS = "http://www.microsoft.com/SoftwareDistribution";
/** DssAuthWebService: GetAuthorizationCookie has its own namespace (capture 000002). */
export const DSS_AUTH_NS = "http://www.microsoft.com/SoftwareDistribution/Server/DssAuthWebService";

export const SERVER_SYNC_PATH = "ServerSyncWebService/ServerSyncWebService.asmx";
export const DSS_AUTH_PATH = "DssAuthWebService/DssAuthWebService.asmx";

export const UPD_NS = "http://schemas.microsoft.com/msus/2002/12/Update";
export const CAT_NS = "http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/Category";
export const LAR_NS = "http://schemas.microsoft.com/msus/2002/12/LogicalApplicabilityRules";
export const PUB_NS = "http://schemas.microsoft.com/msus/2002/12/Publishing";
