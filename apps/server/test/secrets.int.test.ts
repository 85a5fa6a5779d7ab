// Secrets (issue #9): none in a log line or a response, and none at rest in clear. A server runs with configured
// secrets (SYNCPOINT_SECRET_KEY, METRICS_TOKEN, ADMIN_PASSWORD) and logs everything (trace) into memory; the test signs
// in (and fails to), saves a proxy and an SMTP password, subscribes a webhook with a signing secret, sends test
// notifications and a Test connection that use them, scrapes /metrics, and makes requests fail — with a 400, and with a
// 500 whose error text carries secrets (as a driver echoing its connection string would). Then no log line and no
// response contains any of the secret values or a stack trace, and the database holds them only encrypted.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, readJson, startTestServer, TEST_ADMIN_PASSWORD, type TestServer } from "./harness.ts";

const SECRET_KEY = "configured secret key 5d1f0c9a";
const METRICS_TOKEN = "metrics-token-8c2e71b4";
const PROXY_PASSWORD = 'proxy pässword "quoted" 31f9';
const SMTP_PASSWORD = "smtp password 77a0e2";
const WEBHOOK_SECRET = "webhook signing secret e4b6a9d0";

const STACK_TRACE = /\n\s*at \S.*:\d+:\d+\)?/;

let server: TestServer;
let admin: Browser;
let webhook: Server;
let smtp: SMTPServer;
let smtpPort: number;
const lines: string[] = [];
const responses: { what: string; text: string }[] = [];

/** Every secret in the forms it could take in a JSON log line or answer. */
function secretForms(): string[] {
  const secrets = [SECRET_KEY, METRICS_TOKEN, PROXY_PASSWORD, SMTP_PASSWORD, WEBHOOK_SECRET, TEST_ADMIN_PASSWORD];
  const cookie = admin.sessionCookie?.split("=")[1];
  if (cookie) secrets.push(cookie);
  return secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
}

async function call(what: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const response = await admin.request(method, path, body, headers);
  responses.push({ what, text: await response.clone().text() });
  return response;
}

beforeAll(async () => {
  webhook = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(503, { "content-type": "text/plain" }).end("receiver trouble"));
  });
  await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
  // An SMTP server that refuses every login: the delivery fails, and says why.
  smtp = new SMTPServer({
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth: (_auth, _session, callback) => callback(new Error("Invalid username or password")),
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;

  server = await startTestServer({
    env: {
      LOG_LEVEL: "trace",
      SYNCPOINT_SECRET_KEY: SECRET_KEY,
      METRICS_TOKEN,
      ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      // Nothing listens there: Test connection fails at once, through the proxy below.
      MICROSOFT_UPDATE_URL: "http://127.0.0.1:9",
      UPSTREAM_TIMEOUT_MS: "2000",
      NOTIFY_TIMEOUT_MS: "2000",
    },
    logDestination: { write: (line: string) => void lines.push(line) },
  });
  admin = new Browser(server.url);
});
afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => webhook?.close(resolve));
  await new Promise<void>((resolve) => (smtp ? smtp.close(resolve) : resolve()));
});

describe("secrets", () => {
  it("are used: sign-in, settings with passwords, a signed webhook, test notifications, Test connection, /metrics", async () => {
    expect(
      (await call("failed sign-in", "POST", "/api/auth/login", { username: "admin", password: SMTP_PASSWORD })).status,
    ).toBe(401);
    expect((await admin.login()).status).toBe(200);

    const saved = await call("settings", "PUT", "/api/sup-settings", {
      proxy: { url: "http://127.0.0.1:9", username: "proxy-user", password: PROXY_PASSWORD },
      smtp: { host: "127.0.0.1", port: smtpPort, secure: false, username: "mailer", password: SMTP_PASSWORD },
    });
    expect(saved.status).toBe(200);
    expect((await readJson(saved)).proxy).toEqual({
      url: "http://127.0.0.1:9",
      username: "proxy-user",
      hasPassword: true,
    });

    const hook = await call("webhook", "POST", "/api/notification-subscriptions", {
      kind: "webhook",
      name: "ops hook",
      targets: [`http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`],
      events: ["sync-failed"],
      secret: WEBHOOK_SECRET,
    });
    expect(hook.status).toBe(201);
    const mail = await call("email", "POST", "/api/notification-subscriptions", {
      kind: "email",
      name: "ops mail",
      targets: ["ops@example.com"],
      events: ["sync-failed"],
    });
    expect(mail.status).toBe(201);
    for (const id of [(await readJson(hook)).id, (await readJson(mail)).id]) {
      const tested = await call("test notification", "POST", `/api/notification-subscriptions/${id}/test`, {});
      expect(tested.status).toBe(200);
      expect((await readJson(tested)).state).toBe("failed");
    }

    const connection = await call("test connection", "POST", "/api/sup-settings/test-connection", {});
    expect((await readJson(connection)).ok).toBe(false);

    const metrics = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(metrics.status).toBe(200);
  });

  it("fail requests without a trace: a 400, and a 500 whose error text carries secrets", async () => {
    const invalid = await call("400", "PUT", "/api/sup-settings", {
      proxy: { url: "ftp://127.0.0.1", password: PROXY_PASSWORD },
      smtp: { host: "", port: 0, secure: false, password: SMTP_PASSWORD },
    });
    expect(invalid.status).toBe(400);

    const settings = server.ctx.prisma.supSettings;
    const original = settings.findUnique;
    settings.findUnique = (() => {
      throw new Error(`connect failed for postgres://syncpoint:${PROXY_PASSWORD}@db/x (key ${SECRET_KEY})`);
    }) as unknown as typeof original;
    try {
      const failed = await call("500", "GET", "/api/sup-settings");
      expect(failed.status).toBe(500);
      expect((await readJson(failed)).error.code).toBe("INTERNAL_ERROR");
    } finally {
      settings.findUnique = original;
    }
    // The failure is logged, with its stack, and with the secrets censored.
    const logged = lines.find((line) => line.includes('"request failed"'));
    expect(logged).toBeDefined();
    expect(logged).toContain("[redacted]");
    expect(logged).toContain('"stack"');
  });

  it("appear in no log line and no response, and no response carries a stack trace", () => {
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toEqual(
      expect.arrayContaining([
        "sign-in failed",
        "signed in",
        "request failed",
        expect.stringMatching(/^notification delivery failed/),
      ]),
    );
    const forms = secretForms();
    for (const line of lines) for (const secret of forms) expect(line.includes(secret), line).toBe(false);
    for (const { what, text } of responses) {
      for (const secret of forms) expect(text.includes(secret), `${what}: ${text}`).toBe(false);
      expect(text, what).not.toMatch(STACK_TRACE);
    }
  });

  it("are stored encrypted: the raw columns and every table hold no secret in clear", async () => {
    const [row] = await server.ctx.pool
      .query<{ proxy: string; smtp: string }>(
        "SELECT proxy_password_encrypted AS proxy, smtp_password_encrypted AS smtp FROM sup_settings WHERE id = 1",
      )
      .then((r) => r.rows);
    const [hook] = await server.ctx.pool
      .query<{ secret: string }>(
        "SELECT secret_encrypted AS secret FROM notification_subscriptions WHERE kind = 'webhook'",
      )
      .then((r) => r.rows);
    for (const [sealed, plain] of [
      [row!.proxy, PROXY_PASSWORD],
      [row!.smtp, SMTP_PASSWORD],
      [hook!.secret, WEBHOOK_SECRET],
    ] as const) {
      expect(sealed).toMatch(/^v1:/);
      expect(sealed).not.toContain(plain);
      expect(server.ctx.secrets.decrypt(sealed)).toBe(plain);
    }
    // Nowhere else either: audit records, deliveries, runs — every row of every table as text.
    const tables = await server.ctx.pool
      .query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
      )
      .then((r) => r.rows.map((t) => t.name));
    const secrets = [PROXY_PASSWORD, SMTP_PASSWORD, WEBHOOK_SECRET, SECRET_KEY, METRICS_TOKEN, TEST_ADMIN_PASSWORD];
    for (const table of tables) {
      const { rows } = await server.ctx.pool.query<{ row: string }>(`SELECT x::text AS row FROM "${table}" x`);
      for (const { row: text } of rows) {
        for (const secret of secrets) expect(text.includes(secret), `${table}: ${text.slice(0, 200)}`).toBe(false);
      }
    }
  });
});
