// How a site reaches its upstream: the top-level site through the component's sync source (Microsoft Update or an
// upstream WSUS URL), with the SUP's proxy and any extra trusted CA certificates; a child site through its parent's
// SUP endpoint on the internal API URL (never through the proxy). "Test connection" uses the same path a sync does.
import { rootCertificates } from "node:tls";
import type { TestConnectionResult } from "@syncpoint/contracts";
import { SyncSource, type SupSettings } from "@syncpoint/db";
import { SyncError, toSyncError } from "@syncpoint/sync";
import { WsusssClient } from "@syncpoint/wsusss";
import { Agent, fetch as undiciFetch, ProxyAgent, type Dispatcher } from "undici";
import type { AppContext } from "../context.ts";
import type { SecretBox } from "../security/secret-box.ts";
import { assertStoredUrlsAllowed } from "../security/upstream-url.ts";

export interface UpstreamConnection {
  url: string;
  /** The parent site whose SUP endpoint this site syncs from; null at the top level. */
  parentCode: string | null;
  /** A fetch through the proxy and with the extra CAs, when the settings ask for either. */
  fetch?: typeof fetch;
}

export async function resolveUpstream(ctx: AppContext, siteCode: string): Promise<UpstreamConnection> {
  const settings = await ctx.prisma.supSettings.findUnique({ where: { id: 1 } });
  const site = await ctx.prisma.site.findUniqueOrThrow({ where: { code: siteCode } });
  return upstreamOf(ctx, { parentCode: site.parentCode, settings });
}

/** `resolveUpstream` for a site whose parent and the component settings are already read. */
export function upstreamOf(
  ctx: AppContext,
  { parentCode, settings }: { parentCode: string | null; settings: SupSettings | null },
): UpstreamConnection {
  if (parentCode !== null) {
    const base = ctx.config.INTERNAL_API_URL ?? `http://127.0.0.1:${ctx.config.PORT}`;
    return { url: `${base.replace(/\/$/, "")}/sup/${parentCode}`, parentCode };
  }
  if (settings) assertStoredUrlsAllowed(settings, ctx.config);
  const through = settings ? upstreamFetch(settings, ctx.secrets) : undefined;
  const extra = through ? { fetch: through } : {};
  if (settings?.syncSource === SyncSource.upstream_url && settings.upstreamUrl)
    return { url: settings.upstreamUrl, parentCode: null, ...extra };
  if (settings?.syncSource === SyncSource.disconnected) {
    throw new SyncError("SYNC_SOURCE_DISCONNECTED", "The top-level site is set not to synchronize.");
  }
  if (!ctx.config.MICROSOFT_UPDATE_URL) throw new SyncError("UPSTREAM_UNREACHABLE", "MICROSOFT_UPDATE_URL is not set.");
  return { url: ctx.config.MICROSOFT_UPDATE_URL, parentCode: null, ...extra };
}

/** A fetch with the proxy and CA settings, or undefined when neither is set (the default fetch then). */
export function upstreamFetch(
  settings: Pick<SupSettings, "proxyUrl" | "proxyUsername" | "proxyPasswordEncrypted" | "upstreamCaBundle">,
  secrets: SecretBox,
): typeof fetch | undefined {
  if (!settings.proxyUrl && !settings.upstreamCaBundle) return undefined;
  // Extra CAs are trusted besides the system's, not instead of them.
  const tls = settings.upstreamCaBundle ? { ca: [...rootCertificates, settings.upstreamCaBundle] } : undefined;
  let dispatcher: Dispatcher;
  if (settings.proxyUrl) {
    const password = settings.proxyPasswordEncrypted ? secrets.decrypt(settings.proxyPasswordEncrypted) : "";
    const token = settings.proxyUsername
      ? `Basic ${Buffer.from(`${settings.proxyUsername}:${password}`).toString("base64")}`
      : undefined;
    dispatcher = new ProxyAgent({
      uri: settings.proxyUrl,
      ...(token ? { token } : {}),
      ...(tls ? { requestTls: tls } : {}),
    });
  } else {
    dispatcher = new Agent({ connect: tls });
  }
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as string, { ...(init as object), dispatcher })) as unknown as typeof fetch;
}

const STEP_NAMES = ["GetAuthConfig", "GetAuthorizationCookie", "GetCookie", "GetConfigData"] as const;

/**
 * "Test connection": the authorization chain and GetConfigData against the configured source, step by step, and
 * what failed in words — what an administrator needs before waiting for the next sync to find out.
 */
export async function testUpstreamConnection(ctx: AppContext): Promise<TestConnectionResult> {
  const site = await ctx.prisma.site.findFirst({ where: { parentCode: null } });
  if (!site) return failed(null, [], new SyncError("NOT_TOP_LEVEL_SITE", "There is no top-level site."));
  let connection: UpstreamConnection;
  try {
    connection = await resolveUpstream(ctx, site.code);
  } catch (error) {
    return failed(null, [], toSyncError(error, "the upstream"));
  }
  const client = new WsusssClient({
    baseUrl: connection.url,
    timeoutMs: ctx.config.UPSTREAM_TIMEOUT_MS,
    ...(connection.fetch ? { fetch: connection.fetch } : {}),
  });
  const steps: TestConnectionResult["steps"] = [];
  const step = async <T>(index: number, call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      const value = await call();
      steps.push({ step: STEP_NAMES[index]!, ok: true, ms: Math.round(performance.now() - started) });
      return value;
    } catch (error) {
      steps.push({ step: STEP_NAMES[index]!, ok: false, ms: Math.round(performance.now() - started) });
      throw error;
    }
  };
  try {
    const plugIns = await step(0, () => client.getAuthConfig());
    const plugIn = plugIns.find((p) => p.plugInId === "DssTargeting");
    if (!plugIn) throw new SyncError("UPSTREAM_AUTH_FAILED", `${connection.url} offers no DssTargeting authorization.`);
    const authCookie = await step(1, () =>
      client.getAuthorizationCookie(plugIn.serviceUrl || "DssAuthWebService/DssAuthWebService.asmx"),
    );
    await step(2, () => client.authorizeWith(authCookie));
    const config = await step(3, () => client.getConfigData());
    return {
      ok: true,
      url: connection.url,
      steps,
      errorCode: null,
      message: `Connected to ${connection.url}: protocol version ${config.protocolVersion}, at most ${config.maxNumberOfUpdatesPerRequest} updates per request.`,
      protocolVersion: config.protocolVersion,
    };
  } catch (error) {
    return failed(connection.url, steps, toSyncError(error, connection.url));
  }
}

function failed(url: string | null, steps: TestConnectionResult["steps"], error: SyncError): TestConnectionResult {
  const at = steps.find((s) => !s.ok)?.step;
  return {
    ok: false,
    url,
    steps,
    errorCode: error.code,
    message: at ? `${at} failed: ${error.message}` : error.message,
    protocolVersion: null,
  };
}
