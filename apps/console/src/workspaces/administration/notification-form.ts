// The forms of Administration › Notifications as plain functions: the Add subscription dialog (recipients parsed,
// the request built, a signing secret generated, the server's field errors put back on the fields) and the mail
// server (SMTP) settings (the form from the stored settings, what changed, the `smtp` part of PUT /api/sup-settings).
import {
  NOTIFICATION_EVENTS,
  type CreateNotificationSubscriptionRequest,
  type FieldError,
  type NotificationEvent,
  type NotificationKind,
  type SupSettingsDto,
  type UpdateSupSettingsRequest,
} from "@syncpoint/contracts";
import type { TFunction } from "i18next";

/** The server's limits (CreateNotificationSubscriptionRequest), checked here too so that a typo is caught at once. */
export const MAX_RECIPIENTS = 50;
export const MIN_SECRET_LENGTH = 16;
/** What most administrators want to hear about: a failure, and that it is over. */
export const DEFAULT_EVENTS: readonly NotificationEvent[] = ["sync-failed", "sync-recovered"];
/** Bytes of randomness in a generated signing secret (hex: twice as many characters), as HMAC-SHA256's block. */
export const SECRET_BYTES = 32;

export interface SubscriptionFormValues {
  kind: NotificationKind;
  name: string;
  /** Email: addresses, one per line or separated by commas (or semicolons, as Outlook copies them). */
  recipients: string;
  /** Webhook: the URL the notifications are posted to. */
  url: string;
  /** Webhook: the optional HMAC-SHA256 key. */
  secret: string;
  events: readonly NotificationEvent[];
}

export type SubscriptionField = "name" | "targets" | "secret" | "events";
export type SubscriptionErrors = Partial<Record<SubscriptionField, string>>;

export const emptySubscriptionForm = (): SubscriptionFormValues => ({
  kind: "email",
  name: "",
  recipients: "",
  url: "",
  secret: "",
  events: DEFAULT_EVENTS,
});

/** The addresses in what was typed or pasted, in order, each once (addresses that differ only in case count as one). */
export function parseRecipients(text: string): string[] {
  const seen = new Set<string>();
  const recipients: string[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    if (part === "" || seen.has(part.toLowerCase())) continue;
    seen.add(part.toLowerCase());
    recipients.push(part);
  }
  return recipients;
}

/** A signing secret from the browser's cryptographic random generator, as hex. */
export function generateSecret(): string {
  const bytes = new Uint8Array(SECRET_BYTES);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * What can be told without the server: the required fields and the limits. Whether an address or a URL is well
 * formed is left to the server, whose rules decide anyway; its answer is shown on the same fields.
 */
export function validateSubscription(t: TFunction, values: SubscriptionFormValues): SubscriptionErrors {
  const errors: SubscriptionErrors = {};
  if (values.name.trim() === "") errors.name = t("notifications.add.errors.name");
  if (values.kind === "email") {
    const count = parseRecipients(values.recipients).length;
    if (count === 0) errors.targets = t("notifications.add.errors.recipients");
    else if (count > MAX_RECIPIENTS)
      errors.targets = t("notifications.add.errors.tooManyRecipients", { max: MAX_RECIPIENTS });
  } else {
    if (values.url.trim() === "") errors.targets = t("notifications.add.errors.url");
    if (values.secret !== "" && values.secret.length < MIN_SECRET_LENGTH) {
      errors.secret = t("notifications.add.errors.secretShort", { min: MIN_SECRET_LENGTH });
    }
  }
  if (values.events.length === 0) errors.events = t("notifications.add.errors.events");
  return errors;
}

export function subscriptionRequest(values: SubscriptionFormValues): CreateNotificationSubscriptionRequest {
  // In the contracts' order, whatever order the boxes were ticked in.
  const events = NOTIFICATION_EVENTS.filter((event) => values.events.includes(event));
  const name = values.name.trim();
  if (values.kind === "email") {
    return { kind: "email", name, targets: parseRecipients(values.recipients), events, enabled: true };
  }
  return {
    kind: "webhook",
    name,
    targets: [values.url.trim()],
    events,
    // An empty field means unsigned; the secret is sent as typed (spaces are part of a key).
    ...(values.secret === "" ? {} : { secret: values.secret }),
    enabled: true,
  };
}

/**
 * The server's 400 field errors on the dialog's fields: `body.targets.3` is the fourth recipient (named in the
 * message, since the field holds them all) or the URL; what belongs to no field is returned as `other`.
 */
export function subscriptionFieldErrors(
  fields: readonly FieldError[],
  sent: CreateNotificationSubscriptionRequest,
): { errors: SubscriptionErrors; other: string[] } {
  const collected: Partial<Record<SubscriptionField, string[]>> = {};
  const other: string[] = [];
  const add = (field: SubscriptionField, message: string) => {
    const list = (collected[field] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  for (const { field, message } of fields) {
    const path = field.replace(/^body\./, "");
    const target = /^targets(?:\.(\d+))?$/.exec(path);
    if (target) {
      const address = target[1] === undefined || sent.kind !== "email" ? undefined : sent.targets[Number(target[1])];
      add("targets", address === undefined ? message : `${address}: ${message}`);
    } else if (path === "name" || path === "secret") {
      add(path, message);
    } else if (path === "events" || path.startsWith("events.")) {
      add("events", message);
    } else {
      other.push(path === "" ? message : `${path}: ${message}`);
    }
  }
  const errors: SubscriptionErrors = {};
  for (const [field, messages] of Object.entries(collected) as [SubscriptionField, string[]][]) {
    errors[field] = messages.join("; ");
  }
  return { errors, other };
}

// ---- Mail server (SMTP) ----

export type StoredSmtp = SupSettingsDto["smtp"];

/** Mail submission with STARTTLS; 465 is TLS from the first byte ("Use SSL/TLS"). */
export const DEFAULT_SMTP_PORT = 587;
export const SMTPS_PORT = 465;
export const PORT_MAX = 65535;

export interface SmtpFormValues {
  host: string;
  port: string;
  secure: boolean;
  username: string;
  /** A new password; empty keeps the saved one (the server never sends it). */
  password: string;
  /** Delete the saved password instead. */
  clearPassword: boolean;
  from: string;
}

export type SmtpField = "host" | "port" | "username" | "password" | "from";
export type SmtpErrors = Partial<Record<SmtpField, string>>;

export function smtpFormFrom(smtp: StoredSmtp): SmtpFormValues {
  return {
    host: smtp?.host ?? "",
    port: String(smtp?.port ?? DEFAULT_SMTP_PORT),
    secure: smtp?.secure ?? false,
    username: smtp?.username ?? "",
    password: "",
    clearPassword: false,
    from: smtp?.from ?? "",
  };
}

export function isSmtpChanged(values: SmtpFormValues, smtp: StoredSmtp): boolean {
  const stored = smtpFormFrom(smtp);
  return (
    values.host.trim() !== stored.host ||
    values.port.trim() !== stored.port ||
    values.secure !== stored.secure ||
    values.username.trim() !== stored.username ||
    values.from.trim() !== stored.from ||
    values.password !== "" ||
    values.clearPassword
  );
}

export function validateSmtp(t: TFunction, values: SmtpFormValues): SmtpErrors {
  const errors: SmtpErrors = {};
  if (values.host.trim() === "") errors.host = t("notifications.smtp.errors.host");
  const port = values.port.trim();
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > PORT_MAX) {
    errors.port = t("notifications.smtp.errors.port", { max: PORT_MAX });
  }
  return errors;
}

/**
 * The PUT body: `smtp` alone, so that nothing else of the settings is touched. The password is sent only when a new
 * one was typed (or as null to clear it): leaving it out keeps the saved one.
 */
export function smtpRequest(values: SmtpFormValues): UpdateSupSettingsRequest {
  return {
    smtp: {
      host: values.host.trim(),
      port: Number(values.port.trim()),
      secure: values.secure,
      // Empty means none: the server takes null for that (an empty sender address would not be an address).
      username: values.username.trim() || null,
      from: values.from.trim() || null,
      ...(values.clearPassword ? { password: null } : values.password !== "" ? { password: values.password } : {}),
    },
  };
}

export function smtpFieldErrors(fields: readonly FieldError[]): { errors: SmtpErrors; other: string[] } {
  const errors: SmtpErrors = {};
  const other: string[] = [];
  for (const { field, message } of fields) {
    const path = field.replace(/^body\./, "");
    const name = /^smtp\.(host|port|username|password|from)$/.exec(path)?.[1] as SmtpField | undefined;
    if (name) errors[name] ??= message;
    else other.push(`${path}: ${message}`);
  }
  return { errors, other };
}
