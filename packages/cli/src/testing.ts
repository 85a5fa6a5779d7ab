// Fakes for the CLI's unit tests: an Io that records output, and a fetch that answers from a table of routes.
import type { SupSettingsDto, SyncRunDto } from "@syncpoint/contracts";
import type { Io } from "./io.ts";
import { run } from "./program.ts";

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

export type Route = (request: FakeRequest) => Response | Promise<Response>;

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

export const envelope = (status: number, code: string, message: string, details?: unknown): Response =>
  json({ error: { code, message, ...(details === undefined ? {} : { details }) } }, status);

/** A fetch over `routes` ("GET /api/sync-runs/:id" style keys, `:x` matching one segment) that records requests. */
export function fakeFetch(routes: Record<string, Route>): { fetch: typeof fetch; requests: FakeRequest[] } {
  const requests: FakeRequest[] = [];
  const table = Object.entries(routes).map(([key, route]) => {
    const [method, pattern] = key.split(" ") as [string, string];
    const regex = new RegExp(`^${pattern.replace(/:[a-zA-Z]+/g, "[^/]+")}$`);
    return { method, regex, route };
  });
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const request: FakeRequest = {
      method: init?.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>)),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const match = table.find((r) => r.method === request.method && r.regex.test(request.path));
    if (!match) return envelope(404, "NOT_FOUND", `no fake route for ${request.method} ${request.path}`);
    return match.route(request);
  }) as typeof fetch;
  return { fetch: fetchFn, requests };
}

export interface FakeIo extends Io {
  out: () => string;
  err: () => string;
  sleeps: number[];
  abort(): void;
}

export function fakeIo(
  fetchFn: typeof fetch,
  env: Record<string, string> = {},
  options: { files?: Record<string, string> } = {},
): FakeIo {
  let out = "";
  let err = "";
  const controller = new AbortController();
  const sleeps: number[] = [];
  return {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s) },
    env: { SYNCPOINT_URL: "http://sp.test", SYNCPOINT_TOKEN: "tok", ...env },
    fetch: fetchFn,
    interrupt: controller.signal,
    sleep: async (ms) => void sleeps.push(ms),
    readFile: async (path) => {
      const content = options.files?.[path];
      if (content === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return content;
    },
    out: () => out,
    err: () => err,
    sleeps,
    abort: () => controller.abort(),
  };
}

/** Runs the CLI against fake routes; returns the exit code, the output and the requests made. */
export async function runCli(
  argv: string[],
  routes: Record<string, Route>,
  env: Record<string, string> = {},
  options: { files?: Record<string, string>; setup?: (io: FakeIo) => void } = {},
) {
  const { fetch: fetchFn, requests } = fakeFetch(routes);
  const io = fakeIo(fetchFn, env, options);
  options.setup?.(io);
  const code = await run(argv, io);
  return { code, stdout: io.out(), stderr: io.err(), requests, io };
}

/** A run as GET /api/sync-runs/:id returns it. */
export function runDto(overrides: Partial<SyncRunDto> = {}): SyncRunDto {
  return {
    id: "11111111-1111-4111-8111-111111111111",
    siteCode: "CAS",
    supServer: "cas-sup01.corp.contoso.com",
    trigger: "manual",
    fullSync: false,
    state: "running",
    phase: null,
    percent: 0,
    processed: 0,
    total: 0,
    etaSeconds: null,
    waitingReason: null,
    counts: { new: 0, revised: 0, expired: 0, superseded: 0, removed: 0 },
    errorCode: null,
    errorMessage: null,
    requestedBy: "admin",
    catalogVersionBefore: null,
    catalogVersionAfter: null,
    queuedAt: "2026-05-01T12:00:00.000Z",
    startedAt: "2026-05-01T12:00:01.000Z",
    finishedAt: null,
    ...overrides,
  };
}

/** Settings as GET /api/sup-settings returns them. */
export function settingsDto(overrides: Partial<SupSettingsDto> = {}): SupSettingsDto {
  return {
    syncSource: "microsoft-update",
    upstreamUrl: null,
    products: ["a3c2375d-0c8a-42f9-bce0-28333e198407"],
    classifications: ["0fa1201d-4330-4fa8-8ae9-b877473b6441"],
    languages: ["en"],
    supersedence: { expireImmediately: false, months: 3, featureExpireImmediately: false, featureMonths: 3 },
    maxRunTimeMinutes: { feature: 120, windowsOrOffice: 60, other: 60 },
    maintenance: { removeObsoleteRevisions: false },
    scheduleEnabled: true,
    schedule: { kind: "simple", every: 7, unit: "days", timeZone: "UTC" },
    nextSyncAt: "2026-05-08T12:00:00.000Z",
    upcomingSyncs: [],
    schedulesPaused: false,
    schedulesPausedAt: null,
    schedulesPausedBy: null,
    syncFailureAlert: true,
    retryMinutes: 60,
    stalledMinutes: 30,
    proxy: { url: "http://proxy:3128", username: "svc", hasPassword: true },
    upstreamCaBundle: null,
    retention: { statusMessageDays: 30, runDays: 90, auditDays: 365 },
    smtp: null,
    updatedAt: "2026-05-01T12:00:00.000Z",
    ...overrides,
  };
}

export const CATEGORIES = {
  items: [
    ["a3c2375d-0c8a-42f9-bce0-28333e198407", "Product", "Windows 10"],
    ["72e7624a-5b00-45d2-b92f-e561c0a6a160", "Product", "Windows 11"],
    ["f702a48c-919b-45d6-9aef-ca4248d50397", "Product", "Windows Server 2019"],
    ["0fa1201d-4330-4fa8-8ae9-b877473b6441", "UpdateClassification", "Security Updates"],
    ["e6cf1350-c01b-414d-a61f-263d14d133b4", "UpdateClassification", "Critical Updates"],
  ].map(([id, type, title]) => ({
    id,
    type,
    title,
    parentIds: [],
    firstSeenAt: "2026-05-01T12:00:00.000Z",
    isNew: false,
  })),
};
