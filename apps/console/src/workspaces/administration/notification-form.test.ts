import i18next from "i18next";
import { afterEach, describe, expect, it, vi } from "vitest";
import "../../i18n/index.ts";
import {
  emptySubscriptionForm,
  generateSecret,
  isSmtpChanged,
  parseRecipients,
  smtpFieldErrors,
  smtpFormFrom,
  smtpRequest,
  subscriptionFieldErrors,
  subscriptionRequest,
  validateSmtp,
  validateSubscription,
} from "./notification-form.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

const t = i18next.t;
const SMTP = { host: "smtp.contoso.com", port: 587, secure: false, username: "sp", hasPassword: true, from: null };

describe("the Add subscription form", () => {
  it("reads recipients one per line or separated by commas or semicolons, each once", () => {
    expect(parseRecipients(" a@contoso.com,b@contoso.com\n\nc@contoso.com; A@Contoso.com ,\t d@contoso.com ")).toEqual([
      "a@contoso.com",
      "b@contoso.com",
      "c@contoso.com",
      "d@contoso.com",
    ]);
    expect(parseRecipients(" \n , ")).toEqual([]);
  });

  it("generates a secret of 32 bytes from crypto.getRandomValues, as 64 hex digits", () => {
    const spy = vi.spyOn(crypto, "getRandomValues");
    const secret = generateSecret();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(spy).toHaveBeenCalledTimes(1);
    expect((spy.mock.calls[0]![0] as Uint8Array).byteLength).toBe(32);
    expect(generateSecret()).not.toBe(secret);
  });

  it("checks the required fields and the limits, and leaves address and URL formats to the server", () => {
    expect(validateSubscription(t, { ...emptySubscriptionForm(), events: [] })).toEqual({
      name: "Enter a name.",
      targets: "Enter at least one email address.",
      events: "Choose at least one event.",
    });
    const many = Array.from({ length: 51 }, (_, i) => `u${i}@contoso.com`).join("\n");
    expect(validateSubscription(t, { ...emptySubscriptionForm(), name: "x", recipients: many })).toEqual({
      targets: "Enter at most 50 email addresses.",
    });
    expect(validateSubscription(t, { ...emptySubscriptionForm(), name: "x", recipients: "not an address" })).toEqual(
      {},
    );
    const webhook = { ...emptySubscriptionForm(), kind: "webhook" as const, name: "x" };
    expect(validateSubscription(t, { ...webhook, secret: "123456789012345" })).toEqual({
      targets: "Enter the URL to post the notifications to.",
      secret: "Enter at least 16 characters, or Generate a secret.",
    });
    expect(validateSubscription(t, { ...webhook, url: "ftp://x", secret: "1234567890123456" })).toEqual({});
  });

  it("builds the request of each kind: events in the contracts' order, the secret only when there is one", () => {
    const form = { ...emptySubscriptionForm(), name: " Desk ", recipients: "a@x.com\nb@x.com", url: "https://ignored" };
    expect(subscriptionRequest({ ...form, events: ["new-categories", "sync-failed"] })).toEqual({
      kind: "email",
      name: "Desk",
      targets: ["a@x.com", "b@x.com"],
      events: ["sync-failed", "new-categories"],
      enabled: true,
    });
    const webhook = { ...form, kind: "webhook" as const, url: " https://hooks.contoso.com/x " };
    expect(subscriptionRequest(webhook)).toEqual({
      kind: "webhook",
      name: "Desk",
      targets: ["https://hooks.contoso.com/x"],
      events: ["sync-failed", "sync-recovered"],
      enabled: true,
    });
    expect(subscriptionRequest({ ...webhook, secret: "s".repeat(16) })).toMatchObject({ secret: "s".repeat(16) });
  });

  it("puts the server's field errors on the fields: body.targets.N names the recipient", () => {
    const sent = subscriptionRequest({ ...emptySubscriptionForm(), name: "x", recipients: "a@x.com, bad, worse" });
    expect(
      subscriptionFieldErrors(
        [
          { field: "body.targets.1", message: "each target is an email address" },
          { field: "body.targets.2", message: "each target is an email address" },
          { field: "body.name", message: "enter a name" },
          { field: "body.events", message: "choose at least one event" },
          { field: "body.enabled", message: "expected boolean" },
        ],
        sent,
      ),
    ).toEqual({
      errors: {
        targets: "bad: each target is an email address; worse: each target is an email address",
        name: "enter a name",
        events: "choose at least one event",
      },
      other: ["enabled: expected boolean"],
    });
    const hook = subscriptionRequest({ ...emptySubscriptionForm(), kind: "webhook", name: "x", url: "ftp://x" });
    expect(
      subscriptionFieldErrors(
        [
          { field: "body.targets.0", message: "the target is an http or https URL" },
          { field: "body.secret", message: "the secret has at least 16 characters" },
        ],
        hook,
      ).errors,
    ).toEqual({ targets: "the target is an http or https URL", secret: "the secret has at least 16 characters" });
  });
});

describe("the mail server form", () => {
  it("starts from the stored server, or from port 587 without TLS", () => {
    expect(smtpFormFrom(null)).toEqual({
      host: "",
      port: "587",
      secure: false,
      username: "",
      password: "",
      clearPassword: false,
      from: "",
    });
    expect(smtpFormFrom(SMTP)).toMatchObject({ host: "smtp.contoso.com", username: "sp", from: "", password: "" });
  });

  it("sees a change in any field, a typed password or Clear", () => {
    const form = smtpFormFrom(SMTP);
    expect(isSmtpChanged(form, SMTP)).toBe(false);
    expect(isSmtpChanged({ ...form, host: " smtp.contoso.com " }, SMTP)).toBe(false);
    expect(isSmtpChanged({ ...form, port: "25" }, SMTP)).toBe(true);
    expect(isSmtpChanged({ ...form, password: "x" }, SMTP)).toBe(true);
    expect(isSmtpChanged({ ...form, clearPassword: true }, SMTP)).toBe(true);
    expect(isSmtpChanged(smtpFormFrom(null), null)).toBe(false);
  });

  it("sends smtp alone: empty fields as null, the password only when typed, null to clear it", () => {
    const form = { ...smtpFormFrom(SMTP), username: " ", from: " a@contoso.com " };
    expect(smtpRequest(form)).toEqual({
      smtp: { host: "smtp.contoso.com", port: 587, secure: false, username: null, from: "a@contoso.com" },
    });
    expect(smtpRequest({ ...form, password: " p w " }).smtp).toMatchObject({ password: " p w " });
    expect(smtpRequest({ ...form, password: "ignored", clearPassword: true }).smtp).toMatchObject({ password: null });
  });

  it("checks the server name and the port, and maps the server's field errors", () => {
    expect(validateSmtp(t, { ...smtpFormFrom(null), port: "1.5" })).toEqual({
      host: "Enter the mail server's host name.",
      port: "Enter a port from 1 to 65535.",
    });
    expect(validateSmtp(t, { ...smtpFormFrom(SMTP), port: "65535" })).toEqual({});
    expect(
      smtpFieldErrors([
        { field: "body.smtp.from", message: "from is an email address" },
        { field: "body.smtp", message: "unrecognized key" },
      ]),
    ).toEqual({ errors: { from: "from is an email address" }, other: ["smtp: unrecognized key"] });
  });
});
