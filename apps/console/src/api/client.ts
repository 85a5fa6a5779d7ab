// The console's only way to the API: same-origin fetch with the session cookie, JSON in and out, and every failure
// turned into an ApiError. The server answers errors as { error: { code, message, details? } } (DESIGN.md).
import type { ErrorCode, FieldParams, FieldReason } from "@syncpoint/contracts";

/** Codes the client makes up when the server gave no error envelope. */
export type ClientErrorCode = "NETWORK_ERROR" | "BAD_RESPONSE";
export type ApiErrorCode = ErrorCode | ClientErrorCode;

/**
 * A field a 400 names, as the server sent it: `message` in English; `code` why (a FieldReason, or one newer than this
 * console) and `params` its specifics, which api/error-text.ts words in the user's language.
 */
export interface ApiFieldError {
  field: string;
  message: string;
  code?: FieldReason | (string & {});
  params?: FieldParams;
}

export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    /** The HTTP status; 0 when no response arrived. */
    readonly status: number,
    /** An API error code (ERROR_CODES), a client code, or a code this console does not know yet. */
    readonly code: ApiErrorCode | (string & {}),
    message: string,
    /** The invalid fields a 400 names (`body.currentPassword`, …). */
    readonly fields: readonly ApiFieldError[] = [],
    readonly details?: unknown,
    /** True when `message` came from the server's error envelope and is meant for the user. */
    readonly fromServer = false,
  ) {
    super(message);
  }

  /** The server's (English) message for one field; `name` matches `body.name`, `query.name`, … or `name` itself. */
  fieldMessage(name: string): string | undefined {
    return this.field(name)?.message;
  }

  /** The first error the server gave for one field, named as fieldMessage names it. */
  field(name: string): ApiFieldError | undefined {
    return this.fields.find((f) => f.field === name || f.field.endsWith(`.${name}`));
  }
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RequestOptions {
  method?: HttpMethod;
  /** Sent as JSON. Mutations always send a JSON body (`{}` when there is nothing), as the server requires. */
  body?: unknown;
  signal?: AbortSignal;
}

/** Calls whose 401 answers a question ("who am I?", "are these credentials right?") instead of meaning "session gone". */
const AUTH_PROBES = new Set(["/api/auth/login", "/api/auth/me"]);

type PathListener = (path: string) => void;
const unauthorizedListeners = new Set<PathListener>();
const passwordChangeListeners = new Set<PathListener>();

/** Called when any call other than login and me is answered 401: the session ended. Returns the unsubscribe. */
export function onUnauthorized(listener: PathListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/**
 * Called when a call is answered 403 PASSWORD_CHANGE_REQUIRED: the session's password was generated (a new user, a
 * reset) and must be changed before anything else. Returns the unsubscribe.
 */
export function onPasswordChangeRequired(listener: PathListener): () => void {
  passwordChangeListeners.add(listener);
  return () => passwordChangeListeners.delete(listener);
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  return (await successBody(response, options.method ?? "GET", path)) as T;
}

/** A GET whose answer is text with meaningful headers (a run's log and its `X-Log-Seq`). */
export async function apiText(path: string, signal?: AbortSignal): Promise<{ text: string; headers: Headers }> {
  const response = await send(path, { signal }, "text/plain");
  return { text: response.status === 204 ? "" : await response.text(), headers: response.headers };
}

/** Sends the request; resolves with a 2xx response, rejects with an ApiError (after telling the session listeners). */
async function send(path: string, options: RequestOptions, accept = "application/json"): Promise<Response> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { Accept: accept };
  let body: string | undefined;
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body ?? {});
  }

  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: "same-origin", signal: options.signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "NETWORK_ERROR", `${method} ${path}: no response (${String(error)})`);
  }

  if (!response.ok) {
    const error = await errorFromResponse(response);
    if (response.status === 401 && !AUTH_PROBES.has(path.split("?")[0] ?? path)) {
      for (const listener of unauthorizedListeners) listener(path);
    }
    if (response.status === 403 && error.code === "PASSWORD_CHANGE_REQUIRED") {
      for (const listener of passwordChangeListeners) listener(path);
    }
    throw error;
  }
  return response;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => apiRequest<T>(path, { signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: "POST", body }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: "PUT", body }),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: "PATCH", body }),
  delete: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: "DELETE", body }),
};

async function successBody(response: Response, method: string, path: string): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === "") return undefined;
  if (!isJson(response)) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(response.status, "BAD_RESPONSE", `${method} ${path}: the response is not valid JSON`);
  }
}

/** Maps a failed response to an ApiError: the envelope when there is one, otherwise a code derived from the status. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let text = "";
  try {
    text = await response.text();
  } catch {
    // The body could not be read (connection dropped mid-answer): fall through to the status.
  }
  const envelope = parseEnvelope(text);
  if (envelope) {
    return new ApiError(
      response.status,
      envelope.code,
      envelope.message,
      fieldsOf(envelope.details),
      envelope.details,
      true,
    );
  }
  const statusLine = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  return new ApiError(response.status, codeForStatus(response.status), `${statusLine} without an error description`);
}

function codeForStatus(status: number): ApiErrorCode {
  switch (status) {
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "FORBIDDEN";
    case 404:
      return "NOT_FOUND";
    case 413:
      return "PAYLOAD_TOO_LARGE";
    case 415:
      return "UNSUPPORTED_MEDIA_TYPE";
    case 502:
    case 503:
    case 504:
      // A proxy or load balancer answering for a server that is down or restarting.
      return "SERVICE_UNAVAILABLE";
    default:
      return status >= 500 ? "INTERNAL_ERROR" : "BAD_RESPONSE";
  }
}

function isJson(response: Response): boolean {
  const type = response.headers.get("content-type") ?? "";
  return /\bjson\b/i.test(type);
}

interface Envelope {
  code: string;
  message: string;
  details?: unknown;
}

function parseEnvelope(text: string): Envelope | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed.error)) return undefined;
  const { code, message, details } = parsed.error;
  if (typeof code !== "string" || typeof message !== "string") return undefined;
  return { code, message, details };
}

function fieldsOf(details: unknown): ApiFieldError[] {
  if (!isRecord(details) || !Array.isArray(details.fields)) return [];
  return details.fields.flatMap((f): ApiFieldError[] => {
    if (!isRecord(f) || typeof f.field !== "string" || typeof f.message !== "string") return [];
    const params = isRecord(f.params)
      ? (Object.fromEntries(
          Object.entries(f.params).filter(([, v]) => typeof v === "string" || typeof v === "number"),
        ) as FieldParams)
      : undefined;
    return [
      {
        field: f.field,
        message: f.message,
        ...(typeof f.code === "string" ? { code: f.code } : {}),
        ...(params ? { params } : {}),
      },
    ];
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
