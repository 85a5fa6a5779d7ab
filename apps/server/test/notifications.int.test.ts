// Notification subscriptions and delivery against real local receivers: an SMTP server (smtp-server) and an HTTP
// webhook receiver, both started here. Deliveries are driven by calling deliverDue with an explicit `now`, so retries
// are stepped through rather than waited for.
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { deliverDue, enqueueNotification, startNotificationDispatcher } from "../src/notifications/dispatch.ts";
import { Browser, readJson, startTestServer, type TestServer } from "./harness.ts";

const RETRY_BASE_MS = 50;
const MAX_ATTEMPTS = 3;
const TIMEOUT_MS = 1_000;
const SECRET = "webhook signing secret 0123456789";
const SMTP_PASSWORD = "smtp pässword";

interface ReceivedMail {
  from: string | undefined;
  to: string[];
  raw: string;
}

interface ReceivedHook {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** An SMTP server that accepts anything and keeps it in memory, as a mail relay would. */
async function startSmtpReceiver() {
  const mails: ReceivedMail[] = [];
  const logins: { username: string; password: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    // Plain text on the loopback: nodemailer would otherwise upgrade to TLS and refuse the self-signed certificate.
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username ?? "", password: auth.password ?? "" });
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const envelope = session.envelope;
        mails.push({
          from: envelope.mailFrom ? envelope.mailFrom.address : undefined,
          to: envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const { port } = smtp.server.address() as AddressInfo;
  return { mails, logins, port, close: () => new Promise<void>((resolve) => smtp.close(resolve)) };
}

/**
 * A webhook receiver: `/ok` answers 200, `/flaky` 500 to its first request and 200 after, `/down` always 503, `/slow`
 * never answers.
 */
async function startWebhookReceiver() {
  const hooks: ReceivedHook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      hooks.push({ path, headers: req.headers, body: Buffer.concat(chunks) });
      if (path === "/slow") return;
      const seen = hooks.filter((h) => h.path === path).length;
      const status = path === "/down" ? 503 : path === "/flaky" && seen === 1 ? 500 : 200;
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "receiver trouble");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    hooks,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: one the system just handed out and we gave back. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

let server: TestServer;
let admin: Browser;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  receiver = await startWebhookReceiver();
  server = await startTestServer({
    env: {
      NOTIFY_RETRY_BASE_MS: String(RETRY_BASE_MS),
      NOTIFY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      NOTIFY_TIMEOUT_MS: String(TIMEOUT_MS),
      NOTIFY_POLL_MS: "50",
    },
  });
  admin = new Browser(server.url);
  await admin.login();
});
afterEach(async () => {
  // Deliveries go with their subscriptions, so no test sends what another one queued.
  await server.db.prisma.notificationSubscription.deleteMany();
  await server.db.prisma.supSettings.update({ where: { id: 1 }, data: { smtpHost: null } });
  smtp.mails.length = 0;
  smtp.logins.length = 0;
  receiver.hooks.length = 0;
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
  await smtp?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API JSON read field by field
async function subscribe(body: Record<string, unknown>): Promise<any> {
  const response = await admin.request("POST", "/api/notification-subscriptions", body);
  expect(response.status, await response.clone().text()).toBe(201);
  return readJson(response);
}

const webhook = (path: string, extra: Record<string, unknown> = {}) =>
  subscribe({
    kind: "webhook",
    name: `hook ${path}`,
    targets: [receiver.url(path)],
    events: ["sync-failed"],
    ...extra,
  });

const syncFailed = () =>
  enqueueNotification(server.ctx, "sync-failed", {
    siteCode: "PR1",
    title: "Synchronization failed",
    message: "PR1 could not reach its upstream server.",
    errorCode: "UPSTREAM_UNREACHABLE",
    consoleUrl: "https://syncpoint.example/monitoring/sync-status?site=PR1",
  });

const delivery = (id: string) => server.db.prisma.notificationDelivery.findUniqueOrThrow({ where: { id } });
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

/** Undoes quoted-printable, so that assertions read the body as the recipient sees it. */
const decodeQuotedPrintable = (raw: string) =>
  Buffer.from(
    raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    "latin1",
  ).toString("utf8");

describe("notification subscriptions", () => {
  it.each([
    ["a bad email address", { kind: "email", targets: ["not an address"] }, "body.targets.0"],
    ["a webhook URL that is not http", { kind: "webhook", targets: ["ftp://example.com/hook"] }, "body.targets.0"],
    ["a short secret", { kind: "webhook", targets: ["https://example.com/hook"], secret: "short" }, "body.secret"],
    ["an unknown event", { kind: "email", targets: ["a@example.com"], events: ["sync-exploded"] }, "body.events.0"],
  ])("rejects %s with 400 naming the field", async (_, fields, field) => {
    const response = await admin.request("POST", "/api/notification-subscriptions", {
      name: "invalid",
      events: ["sync-failed"],
      ...fields,
    });
    expect(response.status).toBe(400);
    const { error } = await readJson(response);
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await server.db.prisma.notificationSubscription.count()).toBe(0);
  });

  it("stores a webhook secret encrypted and never returns it, in the list or in the audit trail", async () => {
    const created = await webhook("/ok", { secret: SECRET });
    expect(created).toMatchObject({ kind: "webhook", hasSecret: true, enabled: true, createdBy: "admin" });
    expect(created).not.toHaveProperty("secret");
    const row = await server.db.prisma.notificationSubscription.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.secretEncrypted).not.toContain(SECRET);
    expect(server.ctx.secrets.decrypt(row.secretEncrypted!)).toBe(SECRET);

    const listResponse = await admin.request("GET", "/api/notification-subscriptions");
    const list = await listResponse.text();
    expect(JSON.parse(list).items).toEqual([created]);
    expect(list).not.toContain(SECRET);

    expect((await admin.request("POST", `/api/notification-subscriptions/${created.id}/test`, {})).status).toBe(200);
    expect((await admin.request("DELETE", `/api/notification-subscriptions/${created.id}`)).status).toBe(204);
    const audit = await readJson(await admin.request("GET", "/api/audit?action=notification-subscription"));
    const mine = audit.items.filter((e: { targetId: string }) => e.targetId === created.id);
    expect(mine.map((e: { action: string }) => e.action).sort()).toEqual([
      "notification-subscription.create",
      "notification-subscription.delete",
      "notification-subscription.test",
    ]);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
  });

  it("deletes a subscription with its deliveries, audited with what it was; a second delete is 404", async () => {
    const created = await webhook("/down");
    const [deliveryId] = await syncFailed();
    const response = await admin.request("DELETE", `/api/notification-subscriptions/${created.id}`);
    expect(response.status).toBe(204);
    expect((await readJson(await admin.request("GET", "/api/notification-subscriptions"))).items).toEqual([]);
    expect(await server.db.prisma.notificationDelivery.findUnique({ where: { id: deliveryId! } })).toBeNull();
    const audit = await readJson(await admin.request("GET", "/api/audit?action=notification-subscription.delete"));
    expect(audit.items[0]).toMatchObject({
      outcome: "success",
      targetType: "notification-subscription",
      targetId: created.id,
      before: { name: created.name, targets: created.targets },
    });
    expect((await admin.request("DELETE", `/api/notification-subscriptions/${created.id}`)).status).toBe(404);
  });
});

describe("queueing", () => {
  it("queues a delivery only for enabled subscriptions to the event", async () => {
    const wanted = await webhook("/ok");
    await webhook("/ok", { events: ["new-categories", "sync-stalled"] });
    await webhook("/ok", { enabled: false });
    await subscribe({ kind: "email", name: "mail", targets: ["ops@example.com"], events: ["sync-recovered"] });

    const ids = await syncFailed();
    expect(ids).toHaveLength(1);
    const rows = await server.db.prisma.notificationDelivery.findMany();
    expect(rows.map((r) => r.subscriptionId)).toEqual([wanted.id]);
    expect(rows[0]).toMatchObject({ event: "sync-failed", state: "pending", attempts: 0 });

    const outcomes = await deliverDue(server.ctx);
    expect(outcomes.map((o) => [o.subscriptionId, o.state])).toEqual([[wanted.id, "delivered"]]);
    expect(receiver.hooks).toHaveLength(1);
  });

  it("queues nothing when nobody subscribed to the event", async () => {
    await webhook("/ok", { events: ["new-categories"] });
    expect(await syncFailed()).toEqual([]);
    expect(await server.db.prisma.notificationDelivery.count()).toBe(0);
  });
});

describe("email", () => {
  it("sends through the configured SMTP server, signing in with the stored password", async () => {
    await server.db.prisma.supSettings.update({
      where: { id: 1 },
      data: {
        smtpHost: "127.0.0.1",
        smtpPort: smtp.port,
        smtpSecure: false,
        smtpUsername: "mailer",
        smtpPasswordEncrypted: server.ctx.secrets.encrypt(SMTP_PASSWORD),
        smtpFrom: "syncpoint@example.com",
      },
    });
    await subscribe({
      kind: "email",
      name: "operators",
      targets: ["ops@example.com", "oncall@example.com"],
      events: ["sync-failed"],
    });
    const [id] = await syncFailed();

    const [outcome] = await deliverDue(server.ctx);
    expect(outcome).toMatchObject({ id, state: "delivered", attempts: 1, lastError: null });
    expect(await delivery(id!)).toMatchObject({ state: "delivered", attempts: 1, lastError: null });
    expect(smtp.logins).toEqual([{ username: "mailer", password: SMTP_PASSWORD }]);
    expect(smtp.mails).toHaveLength(1);
    const [mail] = smtp.mails;
    expect(mail!.from).toBe("syncpoint@example.com");
    expect(mail!.to.sort()).toEqual(["oncall@example.com", "ops@example.com"]);
    expect(mail!.raw).toMatch(/^Subject: \[Syncpoint\] Synchronization failed \(PR1\)$/m);
    const body = decodeQuotedPrintable(mail!.raw);
    expect(body).toContain("PR1 could not reach its upstream server.");
    expect(body).toContain("Site: PR1");
    expect(body).toContain("Error code: UPSTREAM_UNREACHABLE");
    expect(body).toContain("https://syncpoint.example/monitoring/sync-status?site=PR1");
  });

  it("fails clearly when no SMTP server is configured", async () => {
    const created = await subscribe({
      kind: "email",
      name: "ops",
      targets: ["ops@example.com"],
      events: ["sync-failed"],
    });
    const response = await admin.request("POST", `/api/notification-subscriptions/${created.id}/test`, {});
    expect(response.status).toBe(200);
    const result = await readJson(response);
    expect(result.state).toBe("failed");
    expect(result.lastError).toMatch(/^SMTP is not configured/);
    expect(smtp.mails).toEqual([]);
  });
});

describe("webhook", () => {
  it("POSTs the payload signed with the secret, with the event and delivery headers", async () => {
    await webhook("/ok", { secret: SECRET });
    const [id] = await syncFailed();
    expect((await deliverDue(server.ctx)).map((o) => o.state)).toEqual(["delivered"]);

    expect(receiver.hooks).toHaveLength(1);
    const [hook] = receiver.hooks;
    expect(hook!.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": "Syncpoint",
      "x-syncpoint-event": "sync-failed",
      "x-syncpoint-delivery": id,
    });
    const expected = createHmac("sha256", SECRET).update(hook!.body).digest("hex");
    expect(hook!.headers["x-syncpoint-signature"]).toBe(`sha256=${expected}`);
    const payload = JSON.parse(hook!.body.toString("utf8"));
    expect(payload).toMatchObject({
      event: "sync-failed",
      siteCode: "PR1",
      title: "Synchronization failed",
      errorCode: "UPSTREAM_UNREACHABLE",
      consoleUrl: "https://syncpoint.example/monitoring/sync-status?site=PR1",
      alertId: null,
      runId: null,
    });
    expect(payload.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(payload.time)).not.toBeNaN();
  });

  it("sends no signature without a secret", async () => {
    await webhook("/ok");
    await syncFailed();
    await deliverDue(server.ctx);
    expect(receiver.hooks).toHaveLength(1);
    expect(receiver.hooks[0]!.headers).not.toHaveProperty("x-syncpoint-signature");
  });

  it("retries a failed attempt after the backoff and delivers on the second", async () => {
    await webhook("/flaky", { secret: SECRET });
    const [id] = await syncFailed();
    const start = new Date();

    expect((await deliverDue(server.ctx, start)).map((o) => o.state)).toEqual(["pending"]);
    const afterFirst = await delivery(id!);
    expect(afterFirst).toMatchObject({ state: "pending", attempts: 1 });
    expect(afterFirst.lastError).toContain("HTTP 500");
    expect(afterFirst.nextAttemptAt.getTime()).toBe(start.getTime() + RETRY_BASE_MS);

    expect(await deliverDue(server.ctx, later(start, RETRY_BASE_MS - 1))).toEqual([]);
    expect(receiver.hooks).toHaveLength(1);

    expect((await deliverDue(server.ctx, later(start, RETRY_BASE_MS))).map((o) => o.state)).toEqual(["delivered"]);
    expect(await delivery(id!)).toMatchObject({ state: "delivered", attempts: 2, lastError: null });
    expect(receiver.hooks).toHaveLength(2);
    // The retry is the same delivery: same id, same bytes, so a receiver can tell it already has it.
    expect(receiver.hooks[1]!.headers["x-syncpoint-delivery"]).toBe(id);
    expect(receiver.hooks[1]!.body.equals(receiver.hooks[0]!.body)).toBe(true);
  });

  it("gives up after NOTIFY_MAX_ATTEMPTS, doubling the wait between attempts", async () => {
    await webhook("/down");
    const [id] = await syncFailed();
    let now = new Date();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const [outcome] = await deliverDue(server.ctx, now);
      expect(outcome).toMatchObject({ id, attempts: attempt });
      const row = await delivery(id!);
      if (row.state === "pending") waits.push(row.nextAttemptAt.getTime() - now.getTime());
      now = later(now, 60_000);
    }
    expect(waits).toEqual([RETRY_BASE_MS, 2 * RETRY_BASE_MS]);
    const final = await delivery(id!);
    expect(final).toMatchObject({ state: "failed", attempts: MAX_ATTEMPTS });
    expect(final.lastError).toBe("The webhook answered HTTP 503 Service Unavailable: receiver trouble");
    expect(await deliverDue(server.ctx, later(now, 3_600_000))).toEqual([]);
    expect(receiver.hooks).toHaveLength(MAX_ATTEMPTS);
  });

  it("counts a receiver that cannot be reached or does not answer in time as a failed attempt", async () => {
    await webhook("/slow");
    const closed = `http://127.0.0.1:${await closedPort()}/hook`;
    await subscribe({ kind: "webhook", name: "closed", targets: [closed], events: ["sync-failed"] });
    await syncFailed();
    const outcomes = await deliverDue(server.ctx);
    const errors = outcomes.map((o) => o.lastError).sort();
    expect(outcomes.map((o) => o.state)).toEqual(["pending", "pending"]);
    expect(errors[0]).toMatch(/^The webhook could not be reached: .*ECONNREFUSED/);
    expect(errors[1]).toBe(`The webhook could not be reached: no answer within ${TIMEOUT_MS} ms`);
  });

  it("sends each due delivery once even when several dispatchers run at the same time", async () => {
    await webhook("/ok");
    const ids = (await Promise.all(Array.from({ length: 25 }, () => syncFailed()))).flat();
    const now = new Date();
    const rounds = await Promise.all([1, 2, 3].map(() => deliverDue(server.ctx, now)));
    expect(
      rounds
        .flat()
        .map((o) => o.id)
        .sort(),
    ).toEqual([...ids].sort());
    const received = receiver.hooks.map((h) => h.headers["x-syncpoint-delivery"]);
    expect(received.sort()).toEqual([...ids].sort());
  });
});

describe("test notification", () => {
  it("sends a test to that subscription alone, whatever its events, and says it was delivered", async () => {
    const target = await webhook("/ok", { events: ["new-categories"] });
    await webhook("/down");
    const response = await admin.request("POST", `/api/notification-subscriptions/${target.id}/test`, {});
    expect(response.status).toBe(200);
    const result = await readJson(response);
    expect(result).toMatchObject({ state: "delivered", lastError: null });

    expect(receiver.hooks.map((h) => h.path)).toEqual(["/ok"]);
    expect(receiver.hooks[0]!.headers["x-syncpoint-event"]).toBe("sync-recovered");
    expect(receiver.hooks[0]!.headers["x-syncpoint-delivery"]).toBe(result.deliveryId);
    expect(JSON.parse(receiver.hooks[0]!.body.toString("utf8")).title).toBe("Test notification from Syncpoint");

    const audit = await readJson(await admin.request("GET", "/api/audit?action=notification-subscription.test"));
    expect(audit.items[0]).toMatchObject({
      outcome: "success",
      targetId: target.id,
      details: { deliveryId: result.deliveryId, state: "delivered" },
    });
  });

  it("tries a test once and says why it was not delivered", async () => {
    const target = await webhook("/down");
    const result = await readJson(await admin.request("POST", `/api/notification-subscriptions/${target.id}/test`, {}));
    expect(result.state).toBe("failed");
    expect(result.lastError).toContain("HTTP 503");
    expect(await delivery(result.deliveryId)).toMatchObject({ state: "failed", attempts: 1 });
    expect(await deliverDue(server.ctx, later(new Date(), 3_600_000))).toEqual([]);
    expect(receiver.hooks).toHaveLength(1);
  });

  it("gives nothing to a disabled subscription, not even a test", async () => {
    const target = await webhook("/ok", { enabled: false });
    const result = await readJson(await admin.request("POST", `/api/notification-subscriptions/${target.id}/test`, {}));
    expect(result).toMatchObject({ state: "failed", lastError: "The subscription is disabled." });
    expect(receiver.hooks).toEqual([]);
  });

  it("answers 404 for an unknown subscription", async () => {
    const response = await admin.request(
      "POST",
      "/api/notification-subscriptions/00000000-0000-4000-8000-000000000000/test",
      {},
    );
    expect(response.status).toBe(404);
    expect((await readJson(response)).error.code).toBe("NOT_FOUND");
  });
});

describe("the dispatcher", () => {
  it("sends due deliveries every NOTIFY_POLL_MS until stopped", async () => {
    await webhook("/ok");
    const dispatcher = startNotificationDispatcher(server.ctx);
    try {
      const [id] = await syncFailed();
      const deadline = Date.now() + 10_000;
      while ((await delivery(id!)).state === "pending" && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect((await delivery(id!)).state).toBe("delivered");
    } finally {
      await dispatcher.stop();
    }
    const [afterStop] = await syncFailed();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await delivery(afterStop!)).state).toBe("pending");
    expect(receiver.hooks).toHaveLength(1);
  });
});
