// What the console says about a failed call. The server's error envelope carries a stable code, a message written in
// English and, for some codes, structured details. The console shows its own sentence for the code, in the user's
// language (with the language-neutral specifics it can read: the fields a 400 names, how long a sign-in is locked),
// and keeps the server's message as the detail beside it (components/ErrorText.tsx) — the specific words an
// administrator may need, and what the server log and the API documentation say. A code this console does not know
// yet is shown in the server's words. The fields a 400 names are worded the same way, from their reason code and
// params (fieldErrorText); a field without a code, or with one newer than the console, keeps the server's English
// message, which components/FieldMessage.tsx marks lang="en".
import i18next, { type TFunction } from "i18next";
import { DEFAULT_LOCALE } from "../i18n/index.ts";
import { fieldReasonText } from "../i18n/field-reasons.ts";
import { errorCodeMeaning } from "../i18n/sync-labels.ts";
import { ApiError, type ApiFieldError } from "./client.ts";

/** The translated sentence for a failed call. */
export function errorText(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t("errors.unexpected");
  if (error.fromServer) return serverErrorText(t, error);
  if (error.code === "NETWORK_ERROR") return t("errors.network");
  if (error.status >= 500) return t("errors.unavailable", { status: error.status });
  return t("errors.badResponse", { status: error.status });
}

/** The server's own account of an error: its code and message, as sent. */
export interface ServerErrorDetail {
  code: string;
  message: string;
}

/**
 * The server's code and message, when they say more than the console's sentence does: undefined for errors that did
 * not come from the server, for codes the console does not know (errorText shows the server's message then), and for a
 * message that is just the code's general meaning.
 */
export function serverErrorDetail(error: unknown): ServerErrorDetail | undefined {
  if (!(error instanceof ApiError) || !error.fromServer) return undefined;
  const general = errorCodeMeaning(i18next.getFixedT(DEFAULT_LOCALE), error.code);
  if (general === undefined || general === error.message) return undefined;
  return { code: error.code, message: error.message };
}

/** The request fields a 400 names, as the API names them (`name`, `sup.serverName`, `query.page`). */
export function invalidFields(error: ApiError): string[] {
  return [...new Set(error.fields.map((f) => f.field.replace(/^body\./, "")))];
}

/** Server messages the console showed as sent, in English, for want of a translation: see englishParts. */
const untranslated = new Set<string>();
const UNTRANSLATED_KEPT = 500;

/**
 * One field's error in the user's language: worded from its reason code and params, or — for a field without a code,
 * or with a code this console does not know — the server's English message (remembered as such for englishParts).
 */
export function fieldErrorText(t: TFunction, field: ApiFieldError): string {
  const text = field.code === undefined ? undefined : fieldReasonText(t, field.code, field.params);
  if (text !== undefined) return text;
  if (field.message !== "" && !untranslated.has(field.message)) {
    if (untranslated.size >= UNTRANSLATED_KEPT) untranslated.delete(untranslated.values().next().value!);
    untranslated.add(field.message);
  }
  return field.message;
}

/** A 400's fields with each message in the user's language (fieldErrorText), for a form to put on its inputs. */
export function localizedFields(t: TFunction, fields: readonly ApiFieldError[]): { field: string; message: string }[] {
  return fields.map((f) => ({ field: f.field, message: fieldErrorText(t, f) }));
}

/** One field's error in the user's language, when `error` names it (`name` as ApiError.fieldMessage takes it). */
export function fieldErrorMessage(t: TFunction, error: unknown, name: string): string | undefined {
  const field = error instanceof ApiError ? error.field(name) : undefined;
  return field && fieldErrorText(t, field);
}

/**
 * A text about to be shown, cut into the parts the server sent in English (fieldErrorText's fallback, also inside a
 * longer text such as `targets.3: …`) and the rest, so that the English parts can be marked lang="en".
 */
export function englishParts(text: string): { text: string; english: boolean }[] {
  const parts: { text: string; english: boolean }[] = [];
  let rest = text;
  while (rest !== "") {
    let found: { at: number; length: number } | undefined;
    for (const message of untranslated) {
      const at = rest.indexOf(message);
      if (at >= 0 && (!found || at < found.at || (at === found.at && message.length > found.length))) {
        found = { at, length: message.length };
      }
    }
    if (!found) {
      parts.push({ text: rest, english: false });
      break;
    }
    if (found.at > 0) parts.push({ text: rest.slice(0, found.at), english: false });
    parts.push({ text: rest.slice(found.at, found.at + found.length), english: true });
    rest = rest.slice(found.at + found.length);
  }
  return parts;
}

function serverErrorText(t: TFunction, error: ApiError): string {
  switch (error.code) {
    case "VALIDATION_FAILED": {
      const fields = invalidFields(error);
      if (fields.length > 0) {
        return t("errors.server.validationFailed", { count: fields.length, fields: fields.join(", ") });
      }
      break;
    }
    case "LOGIN_LOCKED": {
      const seconds = lockSeconds(error.details);
      if (seconds !== undefined) return t("errors.server.loginLocked", { count: Math.ceil(seconds / 60) });
      break;
    }
  }
  return errorCodeMeaning(t, error.code) ?? error.message;
}

function lockSeconds(details: unknown): number | undefined {
  if (typeof details !== "object" || details === null) return undefined;
  const seconds = (details as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return typeof seconds === "number" && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}
