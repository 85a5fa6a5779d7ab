// Where the API is and how to sign in, from the environment (and `--url`).
import type { Auth } from "./api.ts";
import { CliError } from "./io.ts";

export const DEFAULT_URL = "http://localhost:8080";

export interface CliConfig {
  baseUrl: string;
  auth: Auth;
}

export function readConfig(env: Record<string, string | undefined>, urlOption?: string): CliConfig {
  const raw = (urlOption ?? env.SYNCPOINT_URL ?? "").trim() || DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`SYNCPOINT_URL "${raw}" is not a URL (for example ${DEFAULT_URL})`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(`SYNCPOINT_URL "${raw}" is not an http or https URL`);
  }
  if (url.username || url.password) {
    throw new CliError(
      "SYNCPOINT_URL must not contain a user name or password: use SYNCPOINT_USER and SYNCPOINT_PASSWORD",
    );
  }
  const baseUrl = (url.origin + url.pathname).replace(/\/+$/, "");
  const token = env.SYNCPOINT_TOKEN?.trim();
  if (token) return { baseUrl, auth: { kind: "token", token } };
  const username = env.SYNCPOINT_USER?.trim();
  const password = env.SYNCPOINT_PASSWORD;
  if (username && password) return { baseUrl, auth: { kind: "password", username, password } };
  if (username) throw new CliError("SYNCPOINT_USER is set but SYNCPOINT_PASSWORD is not");
  return { baseUrl, auth: { kind: "none" } };
}
