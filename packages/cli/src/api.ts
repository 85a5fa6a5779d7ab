// A small typed client of the Syncpoint REST API: a bearer token, or a session signed in with a user name and
// password (the cookie kept in memory for this one command, signed out at the end); JSON answers parsed with the
// contracts' zod schemas; the error envelope as an ApiError; a server that cannot be reached as a NetworkError that
// names the URL.
import { ErrorEnvelope } from "@syncpoint/contracts";
import { Interrupted } from "./io.ts";

export type Auth =
  { kind: "token"; token: string } | { kind: "password"; username: string; password: string } | { kind: "none" };

/** What a zod schema offers that the client needs (so the CLI needs no direct zod dependency). */
export interface Schema<T> {
  safeParse(
    data: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

export type Query = Record<string, string | number | boolean | undefined | null>;

/** The API answered with its error envelope (or, from something in between, a bare HTTP error). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The server could not be reached, or did not answer in time. */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NetworkError";
  }
}

/** A 2xx answer that is not what the contract says (a different server, or a proxy's page). */
export class UnexpectedResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnexpectedResponseError";
  }
}

const SESSION_COOKIE = "syncpoint_session";
const USER_AGENT = "syncpoint-cli/0.1";
const AUTH_HINT = "set SYNCPOINT_TOKEN (an API token), or SYNCPOINT_USER and SYNCPOINT_PASSWORD";

export interface ApiClientOptions {
  baseUrl: string;
  auth: Auth;
  fetch?: typeof fetch;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Ctrl-C: ends a request in flight with Interrupted. */
  interrupt?: AbortSignal;
}

export class ApiClient {
  readonly baseUrl: string;
  private readonly auth: Auth;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly interrupt: AbortSignal | undefined;
  private cookie: string | undefined;
  private signedIn = false;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.auth = options.auth;
    this.fetchFn = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.interrupt = options.interrupt;
  }

  /** `/api` + path with the query's defined values. */
  url(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
    }
    const qs = params.toString();
    return `${this.baseUrl}/api${path}${qs ? `?${qs}` : ""}`;
  }

  async get<T>(path: string, schema: Schema<T>, query?: Query): Promise<T> {
    return this.parse(await this.request("GET", path, { query }), schema, `GET ${path}`);
  }

  async post<T>(path: string, schema: Schema<T>, body: unknown = {}): Promise<T> {
    return this.parse(await this.request("POST", path, { body }), schema, `POST ${path}`);
  }

  async put<T>(path: string, schema: Schema<T>, body: unknown): Promise<T> {
    return this.parse(await this.request("PUT", path, { body }), schema, `PUT ${path}`);
  }

  /** A text/plain answer (the run log) with its headers. */
  async text(path: string, query?: Query): Promise<{ text: string; headers: Headers }> {
    const response = await this.request("GET", path, { query, accept: "text/plain" });
    try {
      return { text: await response.text(), headers: response.headers };
    } catch (error) {
      if (this.interrupt?.aborted) throw new Interrupted();
      throw new NetworkError(this.unreachable(error));
    }
  }

  /**
   * A download (an update package): the 2xx answer with its body still to read, without a time limit (a large package
   * takes a while; Ctrl-C still ends it).
   */
  async download(path: string, query?: Query): Promise<Response> {
    return this.request("GET", path, { query, accept: "*/*", timeoutMs: 0 });
  }

  /**
   * An upload (an update package) streamed as the request body, without a time limit; the JSON answer parsed with
   * `schema`. Never sent twice: a stream is read once.
   */
  async upload<T>(
    path: string,
    schema: Schema<T>,
    raw: { body: ReadableStream<Uint8Array>; contentType: string; length?: number },
    query?: Query,
  ): Promise<T> {
    if (this.auth.kind === "password" && !this.cookie) await this.signIn();
    const response = await this.send("POST", path, { query, raw, timeoutMs: 0 });
    if (!response.ok) throw await this.errorOf(response);
    return this.parse(response, schema, `POST ${path}`);
  }

  /** Any request; a non-2xx answer throws an ApiError. Signs in first when using a user name and password. */
  async request(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; accept?: string; timeoutMs?: number } = {},
  ): Promise<Response> {
    if (this.auth.kind === "password" && !this.cookie) await this.signIn();
    let response = await this.send(method, path, options);
    // A session can end while `--watch` runs (expiry, sign-out everywhere): sign in again once.
    if (response.status === 401 && this.auth.kind === "password" && this.cookie) {
      this.cookie = undefined;
      await this.signIn();
      response = await this.send(method, path, options);
    }
    if (!response.ok) throw await this.errorOf(response);
    return response;
  }

  /** Ends the session this client signed in (best effort); nothing to do with a token. */
  async close(): Promise<void> {
    if (!this.signedIn || !this.cookie) return;
    try {
      // Also after Ctrl-C, briefly.
      await this.send("POST", "/auth/logout", { body: {}, interruptible: false, timeoutMs: 5_000 });
    } catch {
      // the session expires on its own
    }
    this.cookie = undefined;
    this.signedIn = false;
  }

  private async signIn(): Promise<void> {
    if (this.auth.kind !== "password") return;
    const response = await this.send("POST", "/auth/login", {
      body: { username: this.auth.username, password: this.auth.password },
    });
    if (!response.ok) throw await this.errorOf(response);
    await response.body?.cancel(); // the user (Me) is not needed: the session cookie is
    const pair = response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0]?.trim() ?? "")
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`) && c.length > SESSION_COOKIE.length + 1);
    if (!pair)
      throw new UnexpectedResponseError(`${this.baseUrl} signed in ${this.auth.username} but set no session cookie`);
    this.cookie = pair;
    this.signedIn = true;
  }

  private async send(
    method: string,
    path: string,
    options: {
      query?: Query;
      body?: unknown;
      /** A body sent as it is (an upload), instead of JSON. */
      raw?: { body: ReadableStream<Uint8Array>; contentType: string; length?: number };
      accept?: string;
      interruptible?: boolean;
      /** 0: no time limit. */
      timeoutMs?: number;
    },
  ): Promise<Response> {
    const limit = options.timeoutMs ?? this.timeoutMs;
    const timeout = limit > 0 ? AbortSignal.timeout(limit) : undefined;
    const interrupt = options.interruptible === false ? undefined : this.interrupt;
    const signals = [timeout, interrupt].filter((s): s is AbortSignal => s !== undefined);
    const headers: Record<string, string> = { accept: options.accept ?? "application/json", "user-agent": USER_AGENT };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    if (options.raw) {
      headers["content-type"] = options.raw.contentType;
      if (options.raw.length !== undefined) headers["content-length"] = String(options.raw.length);
    }
    if (this.auth.kind === "token") headers.authorization = `Bearer ${this.auth.token}`;
    if (this.cookie) headers.cookie = this.cookie;
    try {
      return await this.fetchFn(this.url(path, options.query), {
        method,
        headers,
        ...(options.raw
          ? { body: options.raw.body, duplex: "half" }
          : { body: options.body === undefined ? undefined : JSON.stringify(options.body) }),
        ...(signals.length > 0 ? { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) } : {}),
      } as RequestInit);
    } catch (error) {
      if (interrupt?.aborted) throw new Interrupted();
      throw new NetworkError(this.unreachable(error));
    }
  }

  private unreachable(error: unknown): string {
    const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (e?.name === "TimeoutError" || e?.name === "AbortError") {
      return `Syncpoint at ${this.baseUrl} did not answer within ${Math.round(this.timeoutMs / 1000)} s`;
    }
    const cause = e?.cause?.message ?? e?.cause?.code ?? e?.message ?? String(error);
    return (
      `cannot reach Syncpoint at ${this.baseUrl} (${cause}). ` +
      `Is it running (pnpm start)? Set SYNCPOINT_URL to its address.`
    );
  }

  private async errorOf(response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => "");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const envelope = ErrorEnvelope.safeParse(body);
    const hint = response.status === 401 && this.auth.kind === "none" ? AUTH_HINT : undefined;
    if (envelope.success) {
      const { code, message, details } = envelope.data.error;
      return new ApiError(response.status, code, message, details, hint);
    }
    const snippet = text.replace(/\s+/g, " ").trim().slice(0, 200);
    return new ApiError(
      response.status,
      `HTTP_${response.status}`,
      `${response.statusText || "HTTP error"} from ${this.baseUrl}${snippet ? `: ${snippet}` : ""}`,
      undefined,
      hint,
    );
  }

  private async parse<T>(response: Response, schema: Schema<T>, what: string): Promise<T> {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      if (this.interrupt?.aborted) throw new Interrupted();
      throw new UnexpectedResponseError(`${what} at ${this.baseUrl} did not answer with JSON: is it Syncpoint?`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.map(String).join(".") || "(root)";
      throw new UnexpectedResponseError(
        `${what} at ${this.baseUrl} answered something this CLI does not understand (${where}: ${issue?.message}); is the CLI older than the server?`,
      );
    }
    return parsed.data;
  }
}
