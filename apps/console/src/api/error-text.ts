import type { TFunction } from "i18next";
import { ApiError } from "./client.ts";

/**
 * The text to show for a failed call: the server's own message when it sent one (it is written for people),
 * otherwise a translated sentence for what the client saw.
 */
export function errorText(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t("errors.unexpected");
  if (error.fromServer) return error.message;
  if (error.code === "NETWORK_ERROR") return t("errors.network");
  if (error.status >= 500) return t("errors.unavailable", { status: error.status });
  return t("errors.badResponse", { status: error.status });
}
