// Which upstream URLs Syncpoint may synchronize from (issue #9): http or https only, no user name or password in the
// URL (credentials belong in the encrypted proxy account, not in a URL stored and shown in clear), and — when the
// operator sets UPSTREAM_ALLOWED_HOSTS — only the hosts it lists. The settings API refuses such a URL when it is
// entered; the worker refuses it again when a run starts, so a URL stored before the rules changed (or written behind
// the API's back) never gets a request.
//
// UPSTREAM_ALLOWED_HOSTS is a comma-separated list of `host` or `host:port` patterns: `wsus.corp.example`,
// `wsus.corp.example:8531`, `*.corp.example` (any subdomain, not the domain itself), `10.0.0.5`, `[fd00::5]:8530`.
// Without a port any port matches; host names compare case-insensitively. MICROSOFT_UPDATE_URL and INTERNAL_API_URL
// are set by the operator, not entered in the console, and are not subject to the list.

import type { FieldParams, FieldReason } from "@syncpoint/contracts";
import { SyncError } from "@syncpoint/sync";

export interface HostPattern {
  /** Lower-case host name or IP literal (IPv6 in brackets, as URL.hostname has it); `*.` prefix for subdomains. */
  host: string;
  port?: number;
}

const PATTERN = /^(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/;

/** Parses UPSTREAM_ALLOWED_HOSTS; throws naming the first entry that is not a host or host:port pattern. */
export function parseAllowedHosts(value: string | undefined): HostPattern[] | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  return value
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const match = PATTERN.exec(entry);
      const port = match?.[3] === undefined ? undefined : Number(match[3]);
      if (!match || (port !== undefined && (port < 1 || port > 65_535)) || (match[1] && match[2]!.startsWith("["))) {
        throw new Error(`"${entry}" is not a host or host:port pattern (e.g. wsus.example.com:8531 or *.example.com)`);
      }
      // As URL.hostname spells it (IPv6 compressed, IPv4 in dotted decimal), so that the comparison is exact.
      const host = match[1] ? match[0].split(":")[0]! : new URL(`http://${match[2]!}`).hostname;
      return { host, ...(port === undefined ? {} : { port }) };
    });
}

const DEFAULT_PORTS: Record<string, number> = { "http:": 80, "https:": 443 };

function hostAllowed(url: URL, allowed: readonly HostPattern[]): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port === "" ? DEFAULT_PORTS[url.protocol] : Number(url.port);
  return allowed.some((pattern) => {
    if (pattern.port !== undefined && pattern.port !== port) return false;
    if (pattern.host.startsWith("*.")) return host.endsWith(pattern.host.slice(1));
    return host === pattern.host;
  });
}

/** Why a URL is refused: in words for the administrator, and as the field reason (with params) a console words. */
export interface UrlRefusal {
  message: string;
  reason: FieldReason;
  params?: FieldParams;
}

/**
 * Why `value` may not be used as an upstream URL; undefined when it may. `allowed` undefined means no allow-list (any
 * host).
 */
export function upstreamUrlRefusal(value: string, allowed: readonly HostPattern[] | undefined): UrlRefusal | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { message: "enter an http or https URL", reason: "invalid_url" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return {
      message: "only http and https URLs are allowed",
      reason: "url_scheme_not_allowed",
      params: { scheme: url.protocol.slice(0, -1) },
    };
  }
  if (url.username !== "" || url.password !== "") {
    return { message: "the URL must not contain a user name or password", reason: "url_has_credentials" };
  }
  if (allowed && !hostAllowed(url, allowed)) {
    return {
      message: `${url.host} is not one of the upstream hosts this installation allows (UPSTREAM_ALLOWED_HOSTS)`,
      reason: "url_host_not_allowed",
      params: { host: url.host },
    };
  }
  return undefined;
}

/** upstreamUrlRefusal's words alone. */
export function upstreamUrlProblem(value: string, allowed: readonly HostPattern[] | undefined): string | undefined {
  return upstreamUrlRefusal(value, allowed)?.message;
}

/**
 * At run time (and for Test connection): the stored upstream URL of a top-level site synchronizing from an upstream
 * server, and the proxy's URL, must still pass the rules — a URL stored before they changed is refused with
 * UPSTREAM_URL_NOT_ALLOWED instead of being contacted. (The proxy is infrastructure, not an upstream: the host list does
 * not apply to it.)
 */
export function assertStoredUrlsAllowed(
  settings: { syncSource: string; upstreamUrl: string | null; proxyUrl: string | null },
  config: { UPSTREAM_ALLOWED_HOSTS?: string | undefined },
): void {
  if (settings.syncSource === "upstream_url" && settings.upstreamUrl) {
    const problem = upstreamUrlProblem(settings.upstreamUrl, parseAllowedHosts(config.UPSTREAM_ALLOWED_HOSTS));
    if (problem) {
      throw new SyncError("UPSTREAM_URL_NOT_ALLOWED", `The upstream server URL is not allowed: ${problem}.`);
    }
  }
  if (settings.proxyUrl) {
    const problem = upstreamUrlProblem(settings.proxyUrl, undefined);
    if (problem) throw new SyncError("UPSTREAM_URL_NOT_ALLOWED", `The proxy server URL is not allowed: ${problem}.`);
  }
}
