// A fetch stand-in for tests: answers "METHOD /path" from a table and records every call.
import { vi } from "vitest";

export type Handler = (request: {
  body: unknown;
  init: RequestInit | undefined;
  url: URL;
}) => Response | Promise<Response>;

export interface ApiCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

export function errorEnvelope(status: number, code: string, message: string, details?: unknown): Response {
  return json(status, { error: { code, message, ...(details === undefined ? {} : { details }) } });
}

/** Installs a fetch that serves `routes`; unknown routes answer 404 with an envelope. Returns the call log. */
export function mockApi(routes: Record<string, Handler>): ApiCall[] {
  const calls: ApiCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(
      typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
      "http://console.test",
    );
    const method = (init?.method ?? "GET").toUpperCase();
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : init?.body;
    calls.push({ method, path: url.pathname + url.search, headers, body, credentials: init?.credentials });
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler) return errorEnvelope(404, "NOT_FOUND", `No API route ${method} ${url.pathname}.`);
    return handler({ body, init, url });
  });
  vi.stubGlobal("fetch", fetchMock);
  return calls;
}
