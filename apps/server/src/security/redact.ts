// No secret in a log line (issue #9). Two nets, both applied by the logger (logger.ts):
// - by field: pino's `redact` censors the fields that hold secrets wherever a log call passes them (passwords, tokens,
//   webhook secrets, cookies, Authorization headers) — `REDACT_PATHS`;
// - by value: every secret this process knows — the configured ones (SYNCPOINT_SECRET_KEY or the generated key,
//   METRICS_TOKEN, ADMIN_PASSWORD, the database password) and every stored secret the SecretBox encrypts or decrypts
//   (proxy and SMTP passwords, webhook secrets) — is replaced in each line before it is written, so a secret that
//   reaches a message or an error's text (a driver echoing its connection string, say) is caught too.
// The registry is per process: several servers in one process (the tests) share it, which only redacts more.

export const REDACTED = "[redacted]";

/** Field names whose values are secrets, at the top level or one or two levels down (`req.headers.cookie`). */
const SECRET_FIELDS = [
  "password",
  "newPassword",
  "currentPassword",
  "initialPassword",
  "generatedAdminPassword",
  "proxyPassword",
  "smtpPassword",
  "passwordHash",
  "secret",
  "secretKey",
  "token",
  "accessToken",
  "apiToken",
  "authorization",
  "Authorization",
  "cookie",
  "Cookie",
  "set-cookie",
  "cookieSecret",
];

export const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
  const join = (prefix: string) => (key.startsWith("[") ? `${prefix}${key}` : `${prefix}.${key}`);
  return [key, join("*"), join("*.*")];
});

/** Shorter values would censor ordinary words and JSON keys ("level", "false"); such secrets are still censored by field. */
const MIN_SECRET_LENGTH = 6;
/** Secrets registered at run time (each proxy/SMTP password or webhook secret seen); the oldest leave first. */
const MAX_RECENT = 1_000;

const pinned = new Set<string>();
const recent = new Set<string>();
let pattern: RegExp | null | undefined;

function add(set: Set<string>, value: string | null | undefined): void {
  if (typeof value !== "string" || value.length < MIN_SECRET_LENGTH || pinned.has(value) || set.has(value)) return;
  set.add(value);
  if (set === recent && recent.size > MAX_RECENT) recent.delete(recent.values().next().value!);
  pattern = undefined;
}

/** A secret of the installation's configuration: censored in every log line for the life of the process. */
export function registerConfiguredSecret(value: string | null | undefined): void {
  recent.delete(value ?? "");
  add(pinned, value);
}

/** A secret seen at run time (a stored password or webhook secret): censored in every log line from now on. */
export function registerSecret(value: string | null | undefined): void {
  add(recent, value);
}

/** The password of a connection URL (`postgres://user:password@host/db`), when it has one. */
export function urlPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function buildPattern(): RegExp | null {
  const forms = new Set<string>();
  for (const secret of [...pinned, ...recent]) {
    forms.add(secret);
    // As it appears inside a JSON string (a log line is JSON): quotes, backslashes and control characters escaped.
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  if (forms.size === 0) return null;
  // Longest first, so that a secret containing another is censored whole.
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(alternatives.join("|"), "g");
}

/** `text` with every registered secret replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  if (pattern === undefined) pattern = buildPattern();
  return pattern ? text.replace(pattern, REDACTED) : text;
}
