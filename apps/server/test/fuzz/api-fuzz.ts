// API fuzz test (issue #9): every route that declares a zod schema (body, query or path parameters) gets, with a fixed
// seed, 200 requests generated from that schema by fast-check — valid, near-valid with one thing wrong, random JSON —
// plus fixed boundary cases (malformed JSON, a body over the limit, wrong content types, odd query strings and path
// segments). Signed in as a Full Administrator, so that validation and the handlers are reached. For each answer:
// - never a 5xx (DESIGN.md: "never a 500 for a client's mistake"), but a 502 naming the upstream's failure;
// - a 4xx carries the error envelope `{ error: { code, message, details? } }` with a known code, and a 400
//   VALIDATION_FAILED names the field;
// - no answer carries a stack trace;
// - a refused request (4xx) changes no table. "Every table" is the public schema but those a refused request
//   legitimately writes: audit_events (every mutating request is audited whatever its outcome), login_failures and
//   login_lockouts (failed sign-ins count towards the lockout), sessions (a request touches its session's last-seen
//   time) and worker_heartbeats (written by the clock, not by requests). After every mutating request, row triggers
//   say whether any row of those tables was written; around each route's batch, a checksum of the tables must be
//   unchanged when nothing was accepted (and always for GET routes, which must change nothing whatever they answer).
// Routes whose success would end the test's own session (sign-out, sign-out everywhere) declare no schema and are not
// fuzzed; PUT /sup-settings runs last, so that the settings it changes (a proxy, an upstream URL) cannot slow the
// routes after it, and the upstream and notification timeouts are short.
import { createHash } from "node:crypto";
import { ERROR_CODES, ErrorEnvelope } from "@syncpoint/contracts";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JSON_BODY_LIMIT } from "../../src/app.ts";
import { routeKey, type RouteSpec } from "../../src/http/route.ts";
import { apiRoutes } from "../../src/routes/index.ts";
import {
  asText,
  HUGE_STRING,
  NASTY_VALUES,
  RAW_QUERIES,
  RAW_SEGMENTS,
  requestValue,
  type Hints,
  toQueryString,
  valid,
  jsonSchemaOf,
} from "./arbitraries.ts";
import { addCatalogUpdate, Browser, startTestServer, type TestServer } from "../harness.ts";

const SEED = 20_261_124;
const GENERATED_CASES = 200;
const GET_CONCURRENCY = 4;
const UNCHECKED_TABLES = new Set(["audit_events", "login_failures", "login_lockouts", "sessions", "worker_heartbeats"]);
/** Runs after every other route: what it changes (proxy, upstream URL, SMTP server) could slow the others. */
const LAST = ["PUT /sup-settings"];

interface FuzzCase {
  label: string;
  path: string;
  body?: string;
  contentType?: string;
}

let server: TestServer;
let cookie: string;
let checksumSql: string;
let hints: Hints = {};

/**
 * Rows the generated requests may name, so that handlers get past "not found": another user (never the signed-in
 * administrator, whose reset or demotion would end the run's session), a token, runs, an alert, a subscription, an
 * update, and the demo hierarchy's site codes.
 */
async function knownValues(): Promise<Hints> {
  const prisma = server.db.prisma;
  const user = await prisma.user.create({
    data: { username: "fuzz-analyst", role: "read_only_analyst", passwordHash: "x", mustChangePassword: false },
  });
  const owner = await prisma.user.findUniqueOrThrow({ where: { username: "admin" } });
  const token = await prisma.apiToken.create({
    data: {
      userId: owner.id,
      name: "fuzz",
      prefix: "fuzz",
      tokenHash: createHash("sha256").update("fuzz").digest("hex"),
    },
  });
  const sup = await prisma.softwareUpdatePoint.findFirstOrThrow({ where: { siteCode: "CAS" } });
  const failed = await prisma.syncRun.create({
    data: { siteCode: "CAS", supId: sup.id, trigger: "manual", state: "failed", finishedAt: new Date() },
  });
  const alert = await prisma.alert.create({
    data: { key: "fuzz", type: "sync-failed", severity: "error", title: "t", message: "m" },
  });
  const subscription = await prisma.notificationSubscription.create({
    data: { name: "fuzz", kind: "email", targets: ["ops@example.com"], events: ["sync-failed"] },
  });
  const updateId = "5c9b5a3e-7d4f-4c1a-9b2e-3f6a8d1c0e47";
  await addCatalogUpdate(prisma, { siteCode: "CAS", updateId, revisionNumber: 1 }, { title: "Fuzz update" });
  const codes = ["CAS", "P01", "P02", "S01", "S02", "cas"];
  const ids = [user.id, token.id, failed.id, alert.id, subscription.id];
  return {
    code: codes,
    parentCode: codes,
    site: codes,
    parent: codes,
    id: ids,
    runId: [failed.id],
    updateId: [updateId],
    upstreamUrl: ["http://127.0.0.1:9/"],
    upstreamCaBundle: ["-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"],
  };
}

beforeAll(async () => {
  server = await startTestServer({
    env: {
      // Nothing listens on port 9: a sync or Test connection the fuzzer starts fails at once.
      MICROSOFT_UPDATE_URL: "http://127.0.0.1:9",
      UPSTREAM_ALLOWED_HOSTS: "127.0.0.1:9",
      UPSTREAM_TIMEOUT_MS: "1000",
      NOTIFY_TIMEOUT_MS: "1000",
    },
  });
  // A worker heartbeat far in the future keeps /api/health at 200.
  const future = new Date(Date.now() + 3_600_000);
  await server.db.prisma.workerHeartbeat.create({
    data: { workerId: "fuzz", hostname: "test", pid: 1, startedAt: future, lastBeatAt: future },
  });
  const admin = new Browser(server.url);
  expect((await admin.login()).status).toBe(200);
  cookie = admin.sessionCookie!;
  hints = await knownValues();
  const tables = await server.db.prisma.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`;
  const checked = tables.map((t) => t.name).filter((name) => !UNCHECKED_TABLES.has(name));
  checksumSql = checked
    .map(
      (name) =>
        // Order-independent, so no sort: the row count and the sum of a 64-bit hash of every row.
        `SELECT '${name}' AS name, count(*) || ':' || coalesce(sum(hashtextextended(x::text, 0)), 0) AS sum FROM "${name}" x`,
    )
    .join(" UNION ALL ");
  // Per request, a checksum of every table would cost more than the request; a row trigger on each checked table
  // counts the rows written instead (an UPDATE that changes nothing does not count), read after each request. The
  // checksums, around each route's batch, check the counters in turn.
  await server.ctx.pool.query(`
    CREATE SCHEMA fuzz;
    CREATE TABLE fuzz.writes (table_name text PRIMARY KEY, rows bigint NOT NULL);
    CREATE FUNCTION fuzz.count_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND OLD::text = NEW::text THEN RETURN NULL; END IF;
      INSERT INTO fuzz.writes AS w VALUES (TG_TABLE_NAME, 1)
        ON CONFLICT (table_name) DO UPDATE SET rows = w.rows + 1;
      RETURN NULL;
    END $$;
    ${checked
      .map(
        (name) =>
          `CREATE TRIGGER fuzz_count AFTER INSERT OR UPDATE OR DELETE ON "${name}" FOR EACH ROW EXECUTE FUNCTION fuzz.count_write();`,
      )
      .join("\n")}
  `);
});
afterAll(() => server?.close());

type Snapshot = Map<string, string>;

async function checksums(): Promise<Snapshot> {
  const { rows } = await server.ctx.pool.query<{ name: string; sum: string }>(checksumSql);
  return new Map(rows.map((r) => [r.name, r.sum]));
}

async function writeCounts(): Promise<Snapshot> {
  const { rows } = await server.ctx.pool.query<{ name: string; rows: string }>(
    "SELECT table_name AS name, rows FROM fuzz.writes",
  );
  return new Map(rows.map((r) => [r.name, r.rows]));
}

function changedTables(before: Snapshot, after: Snapshot): string[] {
  return [...after].filter(([name, sum]) => before.get(name) !== sum).map(([name]) => name);
}

const seedOf = (key: string) => SEED ^ createHash("sha256").update(key).digest().readInt32BE(0);

function fillPath(route: RouteSpec, params: Record<string, string>): string {
  return `/api${route.path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? "x")}`;
}

const paramNames = (route: RouteSpec) => [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);

/** Percent-encoded; a lone surrogate (which has no UTF-8) travels as the bytes of one, which are not UTF-8 either. */
function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return `${encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, ""))}%ED%A0%80`;
  }
}

/** Path parameters: per the schema, any odd text (encoded), or a raw segment no encoder would produce. */
function paramsArbitrary(route: RouteSpec): fc.Arbitrary<Record<string, string>> {
  const names = paramNames(route);
  const schema = route.params ? jsonSchemaOf(route.params) : undefined;
  const model = Object.fromEntries(
    names.map((name) => {
      const generated = schema?.properties?.[name] ? valid(schema.properties[name]) : fc.string();
      const known = hints[name];
      const fromSchema = known?.length ? fc.oneof(fc.constantFrom(...known), generated) : generated;
      const encoded = fc
        .oneof({ weight: 2, arbitrary: fromSchema }, { weight: 2, arbitrary: fc.constantFrom(...NASTY_VALUES) })
        .map((v) => encodeSegment(asText(v).slice(0, 4_000)));
      return [
        name,
        fc.oneof({ weight: 5, arbitrary: encoded }, { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) }),
      ];
    }),
  );
  return fc.record(model) as fc.Arbitrary<Record<string, string>>;
}

function generatedCases(route: RouteSpec): FuzzCase[] {
  const hasBody = route.method !== "get";
  const arbitrary = fc.record({
    params: paramsArbitrary(route),
    query: fc.oneof(
      { weight: 8, arbitrary: requestValue(route.query, hints).map(toQueryString) },
      { weight: 1, arbitrary: fc.constantFrom(...RAW_QUERIES) },
      { weight: route.query ? 0 : 3, arbitrary: fc.constant("") },
    ),
    body: requestValue(route.body, hints),
    flavour: fc.oneof(
      { weight: 12, arbitrary: fc.constant("json") },
      { weight: 1, arbitrary: fc.constantFrom("text", "form", "none") },
    ),
  });
  return fc.sample(arbitrary, { seed: seedOf(routeKey(route)), numRuns: GENERATED_CASES }).map((c, i) => {
    const path = fillPath(route, c.params) + (c.query ? `?${c.query}` : "");
    if (!hasBody) return { label: `generated #${i}`, path };
    const json = JSON.stringify(c.body ?? null);
    switch (c.flavour) {
      case "text":
        return { label: `generated #${i} (text/plain)`, path, body: json, contentType: "text/plain" };
      case "form":
        return {
          label: `generated #${i} (form)`,
          path,
          body: "a=1&b=2",
          contentType: "application/x-www-form-urlencoded",
        };
      case "none":
        return { label: `generated #${i} (no body)`, path };
      default:
        return { label: `generated #${i}`, path, body: json, contentType: "application/json" };
    }
  });
}

/** The fixed boundary cases: whole bodies that are not objects, broken JSON, the size limit, odd URLs. */
function boundaryCases(route: RouteSpec): FuzzCase[] {
  const params = Object.fromEntries(paramNames(route).map((n) => [n, "00000000-0000-4000-8000-000000000000"]));
  const path = fillPath(route, params);
  const cases: FuzzCase[] = [];
  if (route.method !== "get") {
    const limitBytes = Number.parseInt(JSON_BODY_LIMIT, 10) * 1024 * 1024;
    const raw = [
      "",
      "{",
      '{"a":1}}',
      "[",
      "nul",
      '"\\u0000"',
      '{"a":"\\ud800"}',
      '{"a":"\\u0000"}',
      "\u0000",
      '{"__proto__":{"admin":true}}',
      `{"a":"${"x".repeat(limitBytes)}"}`,
      "[".repeat(5_000) + "]".repeat(5_000),
    ];
    for (const [i, body] of raw.entries())
      cases.push({ label: `raw body #${i}`, path, body, contentType: "application/json" });
    // Whole bodies that are not the object expected (the generated cases put the nasty values inside fields).
    const wholeBodies = [
      0,
      -1,
      Number.MAX_SAFE_INTEGER,
      1e308,
      "",
      "\u0000",
      HUGE_STRING,
      true,
      null,
      [],
      [null],
      [{}],
    ];
    for (const value of wholeBodies) {
      cases.push({
        label: `whole body ${JSON.stringify(value).slice(0, 20)}`,
        path,
        body: JSON.stringify(value),
        contentType: "application/json",
      });
    }
    cases.push({ label: "charset latin1", path, body: "{}", contentType: "application/json; charset=latin1" });
    cases.push({ label: "content-type garbage", path, body: "{}", contentType: "application/json; ===" });
  }
  for (const query of route.query ? RAW_QUERIES : RAW_QUERIES.slice(0, 3)) {
    cases.push({ label: `raw query ${query}`, path: `${path}?${query}` });
  }
  for (const segment of paramNames(route).length > 0 ? RAW_SEGMENTS : []) {
    const withSegment = fillPath(route, Object.fromEntries(paramNames(route).map((n) => [n, segment])));
    cases.push({
      label: `raw segment ${segment}`,
      path: withSegment,
      ...(route.method !== "get" ? { body: "{}", contentType: "application/json" } : {}),
    });
  }
  return cases;
}

const STACK_TRACE = /\n\s*at \S.*:\d+:\d+\)?/;

async function send(route: RouteSpec, c: FuzzCase): Promise<{ status: number; text: string; type: string }> {
  const response = await fetch(server.url + c.path, {
    method: route.method.toUpperCase(),
    headers: { cookie, ...(c.contentType ? { "content-type": c.contentType } : {}) },
    ...(c.body !== undefined ? { body: c.body } : {}),
  });
  return { status: response.status, text: await response.text(), type: response.headers.get("content-type") ?? "" };
}

/** What is wrong with this answer, if anything. */
function answerProblem(answer: { status: number; text: string; type: string }): string | undefined {
  // A 502 names the upstream's failure (nothing listens on port 9 here: the catalog search cannot reach it); any
  // other 5xx is ours.
  const upstreamFailure = answer.status === 502 && /"code":"UPSTREAM_[A-Z_]+"/.test(answer.text);
  if (answer.status >= 500 && !upstreamFailure) return `answered ${answer.status}`;
  if (STACK_TRACE.test(answer.text)) return "the answer carries a stack trace";
  if (answer.status < 400) return undefined;
  if (!answer.type.startsWith("application/json")) return `a ${answer.status} answered ${answer.type || "no type"}`;
  let envelope;
  try {
    envelope = ErrorEnvelope.safeParse(JSON.parse(answer.text));
  } catch {
    return `a ${answer.status} answered invalid JSON`;
  }
  if (!envelope.success) return `a ${answer.status} without the error envelope`;
  const { code, details } = envelope.data.error;
  if (!(code in ERROR_CODES)) return `unknown error code ${code}`;
  if (code === "VALIDATION_FAILED") {
    const fields = (details as { fields?: { field?: unknown }[] } | undefined)?.fields;
    if (!fields?.length || typeof fields[0]?.field !== "string") return "VALIDATION_FAILED names no field";
  }
  return undefined;
}

const describeCase = (c: FuzzCase) =>
  `${c.label}: ${c.path.slice(0, 160)}${c.body !== undefined ? ` ${c.contentType} ${c.body.slice(0, 160)}` : ""}`;

const fuzzed = apiRoutes
  .filter((route) => route.body || route.query || route.params)
  .sort((a, b) => LAST.indexOf(routeKey(a)) - LAST.indexOf(routeKey(b)));

/**
 * The routes whose valid requests hash a password (sign-in, users, tokens): the slowest to fuzz, in a test file of
 * their own so that the two halves run side by side.
 */
export const isAccountRoute = (key: string) => /^\S+ \/(auth|users|tokens)(\/|$)/.test(key);

/** Every route with a schema, for the file that checks the two halves cover them all. */
export const fuzzedRouteKeys = () => fuzzed.map(routeKey);

/** The fuzz of the routes `part` picks (by "METHOD /path"), against one server of this test file. */
export function describeApiFuzz(title: string, part: (key: string) => boolean): void {
  describe(title, () => {
    for (const route of fuzzed.filter((r) => part(routeKey(r)))) {
      const key = routeKey(route);
      it(`${key}: ${GENERATED_CASES} generated requests and the boundary cases`, async () => {
        const cases = [...generatedCases(route), ...boundaryCases(route)];
        expect(cases.length).toBeGreaterThanOrEqual(GENERATED_CASES);
        const problems: string[] = [];
        const mutating = route.method !== "get";
        const batchStart = await checksums();
        let accepted = 0;
        let before = await writeCounts();
        const check = async (c: FuzzCase) => {
          const answer = await send(route, c);
          const problem = answerProblem(answer);
          if (problem) problems.push(`${describeCase(c)} → ${problem}: ${answer.text.slice(0, 300)}`);
          const refused = answer.status >= 400 && answer.status < 500;
          if (!refused) accepted++;
          return refused;
        };
        if (mutating) {
          // One at a time, so that a write is the request's own.
          for (const c of cases) {
            const refused = await check(c);
            const after = await writeCounts();
            const changed = changedTables(before, after);
            if (refused && changed.length > 0) {
              problems.push(`${describeCase(c)} → ${changed.join(", ")} changed, yet the answer was a 4xx`);
            }
            before = after;
          }
        } else {
          // Reads are checked as a whole, so they may overlap.
          const queue = [...cases];
          await Promise.all(
            Array.from({ length: GET_CONCURRENCY }, async () => {
              for (let c = queue.shift(); c; c = queue.shift()) await check(c);
            }),
          );
        }
        // A GET changes nothing whatever it answers; a batch of mutations that were all refused changes nothing either.
        if (!mutating || accepted === 0) {
          const changed = changedTables(batchStart, await checksums());
          if (changed.length > 0) problems.push(`the batch changed ${changed.join(", ")}`);
        }
        if (!mutating) {
          const written = changedTables(before, await writeCounts());
          if (written.length > 0) problems.push(`GET requests wrote to ${written.join(", ")}`);
        }
        expect(problems).toEqual([]);
      });
    }
  });
}
