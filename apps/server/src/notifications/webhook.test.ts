import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { NotificationPayload } from "@syncpoint/contracts";
import { signBody, webhookHeaders } from "./webhook.ts";

const payload: NotificationPayload = {
  id: "3f1f5f2e-8a4e-4c49-9d62-0b6f7c1a2b3c",
  event: "sync-failed",
  time: "2024-05-01T10:00:00.000Z",
  siteCode: "PR1",
  title: "Synchronization failed",
  message: "The upstream server did not answer.",
  alertId: null,
  runId: null,
  errorCode: "UPSTREAM_UNREACHABLE",
  consoleUrl: null,
};

describe("webhook signing", () => {
  it("signs with HMAC-SHA256 in hex, prefixed sha256=", () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    expect(signBody("what do ya want for nothing?", "Jefe")).toBe(
      "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  it("signs the exact bytes: the same text as a string or a buffer, and any change breaks it", () => {
    const body = JSON.stringify({ title: "Sïte CAS" });
    const secret = "a secret of sixteen+";
    expect(signBody(body, secret)).toBe(signBody(Buffer.from(body, "utf8"), secret));
    expect(signBody(body, secret)).not.toBe(signBody(body.replace("CAS", "PR1"), secret));
    expect(signBody(body, secret)).not.toBe(signBody(body, `${secret}x`));
  });

  it("sends the event, the delivery id and, only with a secret, the signature of the body", () => {
    const body = JSON.stringify(payload);
    const signed = webhookHeaders(body, payload, "delivery-1", "a secret of sixteen+");
    expect(signed).toMatchObject({
      "Content-Type": "application/json",
      "User-Agent": "Syncpoint",
      "X-Syncpoint-Event": "sync-failed",
      "X-Syncpoint-Delivery": "delivery-1",
    });
    const expected = createHmac("sha256", "a secret of sixteen+").update(body).digest("hex");
    expect(signed["X-Syncpoint-Signature"]).toBe(`sha256=${expected}`);
    expect(webhookHeaders(body, payload, "delivery-1", undefined)).not.toHaveProperty("X-Syncpoint-Signature");
  });
});
