// `syncpoint settings get` and `syncpoint settings set --option value …`: the Software Update Point Component
// Properties (GET|PUT /api/sup-settings), as Set-CMSoftwareUpdatePointComponent sets them. `set` reads the settings,
// applies the options to them (a group such as supersedence is sent whole, as the API wants), sends only the groups
// that the options touch, and prints what changed. `--set path=value` reaches any field of the request
// (`--set supersedence.months=3`, `--set 'schedule={"kind":"weekly",…}'`); values are JSON when they parse as JSON.
import { SupSettingsDto, type SyncSchedule } from "@syncpoint/contracts";
import { Categories, splitList } from "../categories.ts";
import type { Context } from "../context.ts";
import { CliError, EXIT } from "../io.ts";
import { dash, fields, time, yesNo } from "../format.ts";

export interface SettingsSetOptions {
  syncSource?: string;
  upstreamUrl?: string;
  addProduct?: string[];
  removeProduct?: string[];
  addClassification?: string[];
  removeClassification?: string[];
  addLanguage?: string[];
  removeLanguage?: string[];
  supersedenceMonths?: number;
  expireImmediately?: boolean;
  featureSupersedenceMonths?: number;
  featureExpireImmediately?: boolean;
  maxRunTimeFeature?: number;
  maxRunTimeWindowsOrOffice?: number;
  maxRunTimeOther?: number;
  removeObsoleteRevisions?: boolean;
  scheduleEnabled?: boolean;
  scheduleEvery?: number;
  scheduleUnit?: string;
  scheduleDay?: number;
  scheduleTime?: string;
  scheduleWeek?: number | "last";
  scheduleEveryWeeks?: number;
  scheduleTimeZone?: string;
  scheduleStart?: string;
  schedulesPaused?: boolean;
  syncFailureAlert?: boolean;
  retryMinutes?: number;
  stalledMinutes?: number;
  statusMessageDays?: number;
  runDays?: number;
  auditDays?: number;
  proxyUrl?: string;
  proxyUsername?: string;
  upstreamCaBundle?: string;
  set?: string[];
}

type Patch = Record<string, unknown>;

const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const ORDINALS = ["first", "second", "third", "fourth"];

/** "tue", "Tuesday" or 0–6 (0 = Sunday) → 0–6. */
export function parseDayOfWeek(value: string): number {
  const v = value.trim().toLowerCase();
  if (/^[0-6]$/.test(v)) return Number(v);
  const index = v.length >= 3 ? DAYS.findIndex((d) => d.startsWith(v)) : -1;
  if (index < 0) throw new CliError(`"${value}" is not a day of the week (sun … sat, or 0–6 from Sunday)`);
  return index;
}

/** 1–4 or "last". */
export function parseWeekOfMonth(value: string): number | "last" {
  const v = value.trim().toLowerCase();
  if (v === "last") return "last";
  if (/^[1-4]$/.test(v)) return Number(v);
  const index = ORDINALS.indexOf(v);
  if (index < 0) throw new CliError(`"${value}" is not a week of the month (1–4, or last)`);
  return index + 1;
}

export function describeSchedule(schedule: SyncSchedule): string {
  switch (schedule.kind) {
    case "simple": {
      const unit = schedule.every === 1 ? schedule.unit.replace(/s$/, "") : schedule.unit;
      const from = schedule.startAt ? `, starting ${time(schedule.startAt)}` : "";
      return `every ${schedule.every === 1 ? "" : `${schedule.every} `}${unit} (${schedule.timeZone})${from}`;
    }
    case "weekly": {
      const weeks = schedule.everyWeeks === 1 ? "every week" : `every ${schedule.everyWeeks} weeks`;
      return `${weeks} on ${capitalize(DAYS[schedule.dayOfWeek]!)} at ${schedule.time} (${schedule.timeZone})`;
    }
    case "monthly": {
      const which = schedule.week === "last" ? "last" : ORDINALS[schedule.week - 1];
      return `the ${which} ${capitalize(DAYS[schedule.dayOfWeek]!)} of every month at ${schedule.time} (${schedule.timeZone})`;
    }
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const SOURCE_LABELS: Record<string, string> = {
  "microsoft-update": "Microsoft Update",
  "upstream-url": "an upstream server",
  parent: "the parent site",
  disconnected: "do not synchronize",
};

export async function settingsSummary(s: SupSettingsDto, categories: Categories): Promise<string> {
  const list = async (ids: string[]) =>
    ids.length === 0 ? "none" : (await Promise.all(ids.map((id) => categories.describe(id)))).join("\n");
  const sup = s.supersedence;
  const expire = (immediately: boolean, months: number) =>
    immediately ? "expire immediately" : `expire after ${months} month${months === 1 ? "" : "s"}`;
  return fields([
    ["Sync source", `${SOURCE_LABELS[s.syncSource] ?? s.syncSource}${s.upstreamUrl ? ` (${s.upstreamUrl})` : ""}`],
    [`Products (${s.products.length})`, await list(s.products)],
    [`Classifications (${s.classifications.length})`, await list(s.classifications)],
    ["Languages", s.languages.join(", ") || "all"],
    [
      "Supersedence",
      `${expire(sup.expireImmediately, sup.months)}; feature updates: ${expire(sup.featureExpireImmediately, sup.featureMonths)}`,
    ],
    [
      "Max run time",
      `feature updates ${s.maxRunTimeMinutes.feature} min, Windows/Office ${s.maxRunTimeMinutes.windowsOrOffice} min, other ${s.maxRunTimeMinutes.other} min`,
    ],
    ["Maintenance", `remove obsolete revisions: ${yesNo(s.maintenance.removeObsoleteRevisions)}`],
    ["Schedule", `${describeSchedule(s.schedule)}, ${s.scheduleEnabled ? "enabled" : "disabled"}`],
    ["Next sync", s.scheduleEnabled ? time(s.nextSyncAt) : "—"],
    [
      "Schedules paused",
      s.schedulesPaused ? `yes, since ${time(s.schedulesPausedAt)} by ${dash(s.schedulesPausedBy)}` : "no",
    ],
    [
      "Failure handling",
      `alert: ${s.syncFailureAlert ? "on" : "off"}; retry after ${s.retryMinutes} min; stalled after ${s.stalledMinutes} min`,
    ],
    [
      "Proxy",
      s.proxy
        ? `${s.proxy.url}${s.proxy.username ? ` as ${s.proxy.username}` : ""}${s.proxy.hasPassword ? " (password set)" : ""}`
        : "none",
    ],
    ["Upstream CA bundle", s.upstreamCaBundle ? "set" : "none"],
    [
      "Retention",
      `status messages ${s.retention.statusMessageDays} days, runs ${s.retention.runDays} days, audit ${s.retention.auditDays} days`,
    ],
    [
      "SMTP",
      s.smtp
        ? `${s.smtp.host}:${s.smtp.port}${s.smtp.secure ? " (TLS)" : ""}${s.smtp.from ? `, from ${s.smtp.from}` : ""}`
        : "none",
    ],
    ["Updated", time(s.updatedAt)],
  ]);
}

export async function settingsGetCommand(ctx: Context): Promise<number> {
  const settings = await ctx.api.get("/sup-settings", SupSettingsDto);
  if (ctx.json) ctx.printJson(settings);
  else ctx.out(await settingsSummary(settings, new Categories(ctx.api)));
  return EXIT.ok;
}

/** A group of the settings as the request takes it (no read-only fields such as `hasPassword`). */
function writableGroup(current: SupSettingsDto, key: string): unknown {
  if (key === "proxy") return current.proxy ? { url: current.proxy.url, username: current.proxy.username } : null;
  if (key === "smtp") {
    if (!current.smtp) return null;
    const { host, port, secure, username, from } = current.smtp;
    return { host, port, secure, username, from };
  }
  if (key === "schedule") {
    return structuredClone(current.schedule);
  }
  const value = (current as unknown as Record<string, unknown>)[key];
  return value === undefined ? undefined : structuredClone(value);
}

/** `value` as JSON when it parses, else as the string it is. */
function parseSetValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

const noneToNull = (value: string): string | null => (["none", "null", ""].includes(value.trim()) ? null : value);

/** The PUT body for the options, given the current settings. */
export async function buildSettingsPatch(
  current: SupSettingsDto,
  o: SettingsSetOptions,
  deps: {
    resolve(kind: "product" | "classification", values: string[]): Promise<string[]>;
    readFile(path: string): Promise<string>;
  },
): Promise<Patch> {
  const patch: Patch = {};
  /** The group in the patch, starting from its current value (or {} when it is null). */
  const group = (key: string): Record<string, unknown> => {
    if (patch[key] === undefined || patch[key] === null) {
      patch[key] = (writableGroup(current, key) as Record<string, unknown> | null | undefined) ?? {};
    }
    return patch[key] as Record<string, unknown>;
  };
  const setIn = (key: string, field: string, value: unknown) => {
    if (value !== undefined) group(key)[field] = value;
  };

  if (o.syncSource !== undefined) patch.syncSource = o.syncSource;
  if (o.upstreamUrl !== undefined) patch.upstreamUrl = noneToNull(o.upstreamUrl);

  const edit = async (
    key: "products" | "classifications",
    kind: "product" | "classification",
    add?: string[],
    remove?: string[],
  ) => {
    const adding = await deps.resolve(kind, splitList(add));
    const removing = new Set(await deps.resolve(kind, splitList(remove)));
    if (adding.length === 0 && removing.size === 0) return;
    const next = [...new Set([...current[key].map((id) => id.toLowerCase()), ...adding])];
    patch[key] = next.filter((id) => !removing.has(id));
  };
  await edit("products", "product", o.addProduct, o.removeProduct);
  await edit("classifications", "classification", o.addClassification, o.removeClassification);
  const addLanguages = splitList(o.addLanguage);
  const removeLanguages = new Set(splitList(o.removeLanguage));
  if (addLanguages.length > 0 || removeLanguages.size > 0) {
    patch.languages = [...new Set([...current.languages, ...addLanguages])].filter((l) => !removeLanguages.has(l));
  }

  setIn("supersedence", "months", o.supersedenceMonths);
  setIn("supersedence", "expireImmediately", o.expireImmediately);
  setIn("supersedence", "featureMonths", o.featureSupersedenceMonths);
  setIn("supersedence", "featureExpireImmediately", o.featureExpireImmediately);
  setIn("maxRunTimeMinutes", "feature", o.maxRunTimeFeature);
  setIn("maxRunTimeMinutes", "windowsOrOffice", o.maxRunTimeWindowsOrOffice);
  setIn("maxRunTimeMinutes", "other", o.maxRunTimeOther);
  setIn("maintenance", "removeObsoleteRevisions", o.removeObsoleteRevisions);
  setIn("retention", "statusMessageDays", o.statusMessageDays);
  setIn("retention", "runDays", o.runDays);
  setIn("retention", "auditDays", o.auditDays);

  const schedule = buildSchedule(current.schedule, o);
  if (schedule) patch.schedule = schedule;
  if (o.scheduleEnabled !== undefined) patch.scheduleEnabled = o.scheduleEnabled;
  if (o.schedulesPaused !== undefined) patch.schedulesPaused = o.schedulesPaused;
  if (o.syncFailureAlert !== undefined) patch.syncFailureAlert = o.syncFailureAlert;
  if (o.retryMinutes !== undefined) patch.retryMinutes = o.retryMinutes;
  if (o.stalledMinutes !== undefined) patch.stalledMinutes = o.stalledMinutes;

  if (o.proxyUrl !== undefined) {
    const url = noneToNull(o.proxyUrl);
    if (url === null) patch.proxy = null;
    else setIn("proxy", "url", url);
  }
  if (o.proxyUsername !== undefined) {
    if (patch.proxy === null || (patch.proxy === undefined && current.proxy === null)) {
      throw new CliError("--proxy-username needs a proxy: give --proxy-url too");
    }
    setIn("proxy", "username", noneToNull(o.proxyUsername));
  }
  if (o.upstreamCaBundle !== undefined) {
    const file = noneToNull(o.upstreamCaBundle);
    patch.upstreamCaBundle = file === null ? null : await readBundle(file, deps.readFile);
  }

  for (const assignment of o.set ?? []) {
    const eq = assignment.indexOf("=");
    const path = eq > 0 ? assignment.slice(0, eq).trim().split(".") : [];
    if (path.length === 0 || path.some((p) => !/^[A-Za-z][A-Za-z0-9]*$/.test(p))) {
      throw new CliError(
        `--set takes field=value or group.field=value (e.g. supersedence.months=3), not "${assignment}"`,
      );
    }
    const value = parseSetValue(assignment.slice(eq + 1));
    const [top, ...rest] = path as [string, ...string[]];
    if (rest.length === 0) {
      patch[top] = value;
      continue;
    }
    let target = group(top);
    for (const key of rest.slice(0, -1)) {
      const next = target[key];
      target = target[key] = next && typeof next === "object" ? (next as Record<string, unknown>) : {};
    }
    target[rest.at(-1)!] = value;
  }

  if (Object.keys(patch).length === 0) {
    throw new CliError("nothing to change: give at least one option (syncpoint settings set --help)");
  }
  return patch;
}

async function readBundle(file: string, readFile: (path: string) => Promise<string>): Promise<string> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new CliError(`cannot read the CA bundle ${file}: ${(error as Error).message}`);
  }
}

/** The new schedule the options describe, or undefined when they leave it alone. */
export function buildSchedule(current: SyncSchedule, o: SettingsSetOptions): SyncSchedule | undefined {
  const timeZone = o.scheduleTimeZone ?? current.timeZone;
  if (o.scheduleEvery !== undefined || o.scheduleUnit !== undefined) {
    const base = current.kind === "simple" ? current : undefined;
    const every = o.scheduleEvery ?? base?.every;
    const unit = o.scheduleUnit ?? base?.unit;
    if (every === undefined || unit === undefined) {
      throw new CliError("a simple schedule needs both --schedule-every N and --schedule-unit hours|days|weeks");
    }
    if (!["hours", "days", "weeks"].includes(unit)) throw new CliError("--schedule-unit is hours, days or weeks");
    // A new interval counts from when it is saved, unless --schedule-start says otherwise.
    return {
      kind: "simple",
      every,
      unit: unit as "hours" | "days" | "weeks",
      timeZone,
      ...(o.scheduleStart ? { startAt: o.scheduleStart } : {}),
    };
  }
  const custom = o.scheduleWeek !== undefined || o.scheduleDay !== undefined || o.scheduleTime !== undefined;
  if (custom || o.scheduleEveryWeeks !== undefined) {
    const base = current.kind === "simple" ? undefined : current;
    const monthly = o.scheduleWeek !== undefined || (base?.kind === "monthly" && o.scheduleEveryWeeks === undefined);
    const dayOfWeek = o.scheduleDay ?? base?.dayOfWeek;
    const at = o.scheduleTime ?? base?.time;
    if (dayOfWeek === undefined || at === undefined) {
      throw new CliError(
        "a weekly or monthly schedule needs --schedule-day and --schedule-time (and --schedule-week for monthly)",
      );
    }
    if (monthly) {
      const week = o.scheduleWeek ?? (base?.kind === "monthly" ? base.week : undefined);
      if (week === undefined) throw new CliError("a monthly schedule needs --schedule-week 1–4|last");
      return { kind: "monthly", week, dayOfWeek, time: at, timeZone };
    }
    const everyWeeks = o.scheduleEveryWeeks ?? (base?.kind === "weekly" ? base.everyWeeks : 1);
    return { kind: "weekly", dayOfWeek, time: at, everyWeeks, timeZone };
  }
  if (o.scheduleTimeZone !== undefined || o.scheduleStart !== undefined) {
    if (o.scheduleStart !== undefined && current.kind !== "simple") {
      throw new CliError("--schedule-start applies to a simple schedule (--schedule-every, --schedule-unit)");
    }
    return { ...current, timeZone, ...(o.scheduleStart ? { startAt: o.scheduleStart } : {}) } as SyncSchedule;
  }
  return undefined;
}

const IGNORED = new Set(["updatedAt", "upcomingSyncs"]);

/** Dotted paths whose values differ, arrays compared whole. */
export function changedFields(
  before: unknown,
  after: unknown,
  prefix = "",
): { path: string; before: unknown; after: unknown }[] {
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys
      .filter((key) => !(prefix === "" && IGNORED.has(key)))
      .flatMap((key) => changedFields(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: prefix, before, after }];
}

const show = (value: unknown): string =>
  value === null || value === undefined ? "none" : typeof value === "string" ? value : JSON.stringify(value);

/** "supersedence.months: 1 → 3", "products: + Windows 11 (guid)", … */
export async function describeChanges(
  before: SupSettingsDto,
  after: SupSettingsDto,
  categories: Categories,
): Promise<string[]> {
  const lines: string[] = [];
  for (const change of changedFields(before, after)) {
    if (Array.isArray(change.before) && Array.isArray(change.after)) {
      const was = new Set(change.before.map(String));
      const now = new Set(change.after.map(String));
      const label = async (v: string) =>
        change.path === "products" || change.path === "classifications" ? categories.describe(v) : v;
      for (const v of now) if (!was.has(v)) lines.push(`${change.path}: + ${await label(v)}`);
      for (const v of was) if (!now.has(v)) lines.push(`${change.path}: - ${await label(v)}`);
      continue;
    }
    lines.push(`${change.path}: ${show(change.before)} → ${show(change.after)}`);
  }
  return lines;
}

export async function settingsSetCommand(ctx: Context, options: SettingsSetOptions): Promise<number> {
  const categories = new Categories(ctx.api);
  const before = await ctx.api.get("/sup-settings", SupSettingsDto);
  const patch = await buildSettingsPatch(before, options, {
    resolve: (kind, values) => categories.resolve(kind, values),
    readFile: ctx.io.readFile,
  });
  const after = await ctx.api.put("/sup-settings", SupSettingsDto, patch);
  if (ctx.json) {
    ctx.printJson(after);
    return EXIT.ok;
  }
  const lines = await describeChanges(before, after, categories);
  ctx.out(lines.length === 0 ? "No setting changed.\n" : `Changed:\n${lines.map((l) => `  ${l}`).join("\n")}\n`);
  return EXIT.ok;
}
