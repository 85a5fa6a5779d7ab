// The Sync Schedule of the top-level software update point (domain.md §2, "Sync Schedule"): Simple (every N hours,
// days or weeks) or Custom (weekly on a day at a time; monthly on the Nth weekday, e.g. the second Tuesday), always
// in a named IANA time zone so that "02:00" stays 02:00 across daylight-saving changes.
import { z } from "zod";
import { withReason, type FieldReason } from "./errors.ts";

const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    withReason("unknown_time_zone", "timeZone is an IANA time zone such as Europe/Berlin or UTC"),
  );

/** "HH:MM", 24-hour clock, local to the schedule's time zone. */
const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time is HH:MM on a 24-hour clock");

/** 0 = Sunday … 6 = Saturday. */
const DayOfWeek = z.number().int().min(0, "dayOfWeek is 0 (Sunday) to 6 (Saturday)").max(6, "dayOfWeek is 0–6");

export const SimpleSchedule = z
  .object({
    kind: z.literal("simple"),
    every: z.number().int().min(1),
    unit: z.enum(["hours", "days", "weeks"]),
    /** The first occurrence (ISO-8601); later ones follow at the interval. Default: when the schedule is saved. */
    startAt: z.string().datetime({ offset: true }).optional(),
    timeZone: TimeZone,
  })
  .strict()
  .superRefine((s, ctx) => {
    const max = { hours: 23, days: 31, weeks: 4 }[s.unit];
    if (s.every <= max) return;
    ctx.addIssue({
      code: "custom",
      path: ["every"],
      message: "every is 1–23 hours, 1–31 days or 1–4 weeks",
      params: { reason: "out_of_range" satisfies FieldReason, min: 1, max, unit: s.unit },
    });
  });

export const WeeklySchedule = z
  .object({
    kind: z.literal("weekly"),
    dayOfWeek: DayOfWeek,
    time: TimeOfDay,
    /** Every N weeks (1–4). */
    everyWeeks: z.number().int().min(1).max(4, "everyWeeks is 1–4").default(1),
    timeZone: TimeZone,
  })
  .strict();

export const MonthlyWeekdaySchedule = z
  .object({
    kind: z.literal("monthly"),
    /** Which occurrence of the weekday in the month: 1–4, or "last". */
    week: z.union([z.number().int().min(1).max(4, "week is 1–4 or last"), z.literal("last")]),
    dayOfWeek: DayOfWeek,
    time: TimeOfDay,
    timeZone: TimeZone,
  })
  .strict();

export const SyncSchedule = z.union([SimpleSchedule, WeeklySchedule, MonthlyWeekdaySchedule]);
export type SyncSchedule = z.infer<typeof SyncSchedule>;

/** ConfigMgr's default: every 7 days. */
export const DEFAULT_SYNC_SCHEDULE: SyncSchedule = { kind: "simple", every: 7, unit: "days", timeZone: "UTC" };
