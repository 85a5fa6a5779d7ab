// Email delivery through the SMTP server of the software update point settings. The message says in words what a
// webhook receives as JSON, so that whoever reads it knows what happened, where, and where to look.
import type { NotificationPayload } from "@syncpoint/contracts";
import type { NotificationSubscription, SupSettings } from "@syncpoint/db";
import nodemailer from "nodemailer";
import type { AppContext } from "../context.ts";

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

const EVENT_LABELS: Record<NotificationPayload["event"], string> = {
  "sync-failed": "Synchronization failed",
  "sync-recovered": "Synchronization recovered",
  "sync-stalled": "Synchronization stalled",
  "new-categories": "New products or classifications",
};

/** The facts of a notification, in the order both bodies list them. */
function facts(payload: NotificationPayload): [string, string][] {
  return [
    ["Event", EVENT_LABELS[payload.event]],
    ["Site", payload.siteCode ?? "(all sites)"],
    ...(payload.errorCode ? ([["Error code", payload.errorCode]] as [string, string][]) : []),
    ["Time", payload.time],
  ];
}

export function renderEmail(payload: NotificationPayload): EmailContent {
  const site = payload.siteCode ? ` (${payload.siteCode})` : "";
  const subject = `[Syncpoint] ${payload.title}${site}`;
  const lines = facts(payload);
  const text = [
    payload.title,
    "",
    payload.message,
    "",
    ...lines.map(([label, value]) => `${label}: ${value}`),
    ...(payload.consoleUrl ? ["", `Open in the console: ${payload.consoleUrl}`] : []),
    "",
    "— Syncpoint",
  ].join("\n");
  const html = [
    `<h2>${escapeHtml(payload.title)}</h2>`,
    `<p>${escapeHtml(payload.message)}</p>`,
    "<table>",
    ...lines.map(
      ([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    ),
    "</table>",
    ...(payload.consoleUrl ? [`<p><a href="${escapeHtml(payload.consoleUrl)}">Open in the console</a></p>`] : []),
    "<p>— Syncpoint</p>",
  ].join("\n");
  return { subject, text, html };
}

function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

function transportFor(ctx: AppContext, settings: SupSettings & { smtpHost: string }) {
  const password = settings.smtpPasswordEncrypted ? ctx.secrets.decrypt(settings.smtpPasswordEncrypted) : undefined;
  const timeout = ctx.config.NOTIFY_TIMEOUT_MS;
  return nodemailer.createTransport({
    host: settings.smtpHost,
    port: settings.smtpPort,
    secure: settings.smtpSecure,
    ...(settings.smtpUsername ? { auth: { user: settings.smtpUsername, pass: password ?? "" } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
}

/** Sends the notification to the subscription's recipients; throws, with what went wrong, when it could not. */
export async function sendEmail(
  ctx: AppContext,
  subscription: NotificationSubscription,
  payload: NotificationPayload,
): Promise<void> {
  const settings = await ctx.prisma.supSettings.findUnique({ where: { id: 1 } });
  const host = settings?.smtpHost?.trim();
  if (!settings || !host) throw new Error("SMTP is not configured: set the SMTP server in the settings.");
  const transport = transportFor(ctx, { ...settings, smtpHost: host });
  try {
    await transport.sendMail({
      from: settings.smtpFrom?.trim() || `Syncpoint <syncpoint@${host}>`,
      to: subscription.targets,
      ...renderEmail(payload),
    });
  } catch (error) {
    throw new Error(`Sending through the SMTP server ${host}:${settings.smtpPort} failed: ${(error as Error).message}`);
  } finally {
    transport.close();
  }
}
