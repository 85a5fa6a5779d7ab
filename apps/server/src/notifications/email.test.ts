import { describe, expect, it } from "vitest";
import type { NotificationPayload } from "@syncpoint/contracts";
import { renderEmail } from "./email.ts";

const payload: NotificationPayload = {
  id: "3f1f5f2e-8a4e-4c49-9d62-0b6f7c1a2b3c",
  event: "sync-failed",
  time: "2024-05-01T10:00:00.000Z",
  siteCode: "PR1",
  title: "Synchronization failed",
  message: "The <upstream> server did not answer.",
  alertId: null,
  runId: null,
  errorCode: "UPSTREAM_UNREACHABLE",
  consoleUrl: "https://console.example/monitoring?site=PR1&x=1",
};

describe("notification email", () => {
  it("says what happened, where, the error code and links to the console", () => {
    const email = renderEmail(payload);
    expect(email.subject).toBe("[Syncpoint] Synchronization failed (PR1)");
    expect(email.text).toContain("The <upstream> server did not answer.");
    expect(email.text).toContain("Site: PR1");
    expect(email.text).toContain("Error code: UPSTREAM_UNREACHABLE");
    expect(email.text).toContain("Open in the console: https://console.example/monitoring?site=PR1&x=1");
    expect(email.html).toContain('<a href="https://console.example/monitoring?site=PR1&amp;x=1">');
  });

  it("escapes the HTML body and leaves out what the notification does not have", () => {
    const email = renderEmail({ ...payload, siteCode: null, errorCode: null, consoleUrl: null });
    expect(email.html).toContain("The &lt;upstream&gt; server did not answer.");
    expect(email.html).not.toContain("<upstream>");
    expect(email.subject).toBe("[Syncpoint] Synchronization failed");
    expect(email.text).not.toContain("Error code");
    expect(email.text).not.toContain("console");
    expect(email.html).not.toContain("<a ");
  });
});
