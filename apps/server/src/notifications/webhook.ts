// Webhook delivery: the payload as JSON, signed so that a receiver can tell it came from this installation and was not
// altered. The signature covers the exact bytes sent, so receivers must verify before parsing.
import { createHmac } from "node:crypto";
import type { NotificationPayload } from "@syncpoint/contracts";
import type { NotificationSubscription } from "@syncpoint/db";
import type { AppContext } from "../context.ts";

/** `sha256=<hex>` of the HMAC-SHA256 of `body` under `secret`, as sent in `X-Syncpoint-Signature`. */
export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export function webhookHeaders(
  body: string,
  payload: NotificationPayload,
  deliveryId: string,
  secret: string | undefined,
): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "User-Agent": "Syncpoint",
    "X-Syncpoint-Event": payload.event,
    "X-Syncpoint-Delivery": deliveryId,
    ...(secret ? { "X-Syncpoint-Signature": signBody(body, secret) } : {}),
  };
}

/** POSTs the payload; throws, with what went wrong, for anything but a 2xx answer. */
export async function sendWebhook(
  ctx: AppContext,
  subscription: NotificationSubscription,
  payload: NotificationPayload,
  deliveryId: string,
): Promise<void> {
  const url = subscription.targets[0];
  if (!url) throw new Error("The webhook has no URL.");
  const secret = subscription.secretEncrypted ? ctx.secrets.decrypt(subscription.secretEncrypted) : undefined;
  const body = JSON.stringify(payload);
  const timeoutMs = ctx.config.NOTIFY_TIMEOUT_MS;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: webhookHeaders(body, payload, deliveryId, secret),
      body,
      // A redirect would resend the signed payload somewhere the administrator did not choose.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Error(`The webhook could not be reached: ${describeFetchError(error, timeoutMs)}`);
  }
  // The body is drained so that the connection is released even when nobody reads it.
  const answer = await response.text().catch(() => "");
  if (response.status < 200 || response.status >= 300) {
    const excerpt = answer.trim().slice(0, 200);
    throw new Error(
      `The webhook answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}` +
        (excerpt ? `: ${excerpt}` : ""),
    );
  }
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${timeoutMs} ms`;
  }
  // undici reports "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND…) in the cause.
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code || cause?.message) return [cause.code, cause.message].filter(Boolean).join(" ");
  return error instanceof Error ? error.message : String(error);
}
