import {
  SchedulePreview,
  SchedulePreviewQuery,
  SupSettingsDto,
  TestConnectionResult,
  UpdateSupSettingsRequest,
} from "@syncpoint/contracts";
import { z } from "zod";
import { defineRoute } from "../http/route.ts";
import { previewSchedule, readSupSettings, updateSupSettings } from "../services/sup-settings.ts";
import { testUpstreamConnection } from "../sync/upstream-connection.ts";

export const settingsRoutes = [
  defineRoute({
    method: "get",
    path: "/sup-settings",
    access: "read",
    summary:
      "The Software Update Point Component Properties: sync source, products, classifications, languages, supersedence rules, schedule, alerts, proxy, retention.",
    response: SupSettingsDto,
    handler: async ({ ctx }) => ({ body: await readSupSettings(ctx) }),
  }),
  defineRoute({
    method: "put",
    path: "/sup-settings",
    access: "settings.edit",
    audit: { action: "sup-settings.update" },
    summary: "Change component properties; only the fields sent change. Secrets are write-only.",
    body: UpdateSupSettingsRequest,
    response: SupSettingsDto,
    handler: async ({ ctx, body, principal, audit }) => ({
      body: await updateSupSettings(ctx, principal!, body, audit),
    }),
  }),
  defineRoute({
    // A GET: it computes and stores nothing, so it needs no audit record (a form asks on every edit of the schedule).
    method: "get",
    path: "/sup-settings/schedule-preview",
    access: "read",
    summary:
      "The next times a Sync Schedule would run if it were saved now (`schedule` as JSON, `count` 1–10), for unsaved edits.",
    query: SchedulePreviewQuery,
    response: SchedulePreview,
    handler: ({ query }) => ({ body: previewSchedule(query) }),
  }),
  defineRoute({
    method: "post",
    path: "/sup-settings/test-connection",
    access: "settings.edit",
    audit: { action: "sup-settings.test-connection" },
    summary: "Run the authorization chain and GetConfigData against the configured sync source; say what failed.",
    body: z.object({}).strict(),
    response: TestConnectionResult,
    handler: async ({ ctx, audit }) => {
      const result = await testUpstreamConnection(ctx);
      audit.target("sup-settings", "1").details({ ok: result.ok, url: result.url, errorCode: result.errorCode });
      return { body: result };
    },
  }),
];
