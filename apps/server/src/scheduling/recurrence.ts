// When the Sync Schedule fires next. Pure: no clock, no I/O — the caller passes "now" as `after` and the time the
// schedule was saved as `anchor`, so every answer is reproducible in tests and across scaled-out processes.
//
// Local times are resolved in the schedule's IANA zone with two deliberate rules (luxon's own defaults differ: it
// moves a non-existent 02:30 to 03:30 and picks the *later* of two ambiguous 02:30s):
// - a wall time inside a spring-forward gap runs at the first valid instant after the gap, i.e. when the clocks
//   jump (02:30 on the last Sunday of March in Europe/Berlin runs at 03:00 CEST);
// - a wall time that occurs twice at fall-back runs once, at the earlier instant (the first 02:30, still in CEST).
import type { SyncSchedule } from "@syncpoint/contracts";
import { DateTime, IANAZone } from "luxon";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The first occurrence strictly after `after`. `anchor` is where a simple schedule without startAt (or a weekly one
 *  with everyWeeks > 1) counts its intervals from — the time the schedule was saved. */
export function nextOccurrence(schedule: SyncSchedule, after: Date, anchor: Date): Date {
  const zone = zoneOf(schedule.timeZone);
  const afterMs = instantOf(after, "after");
  const anchorMs = instantOf(anchor, "anchor");
  switch (schedule.kind) {
    case "simple":
      return new Date(nextSimple(schedule, afterMs, anchorMs, zone));
    case "weekly":
      return new Date(nextWeekly(schedule, afterMs, anchorMs, zone));
    case "monthly":
      return new Date(nextMonthly(schedule, afterMs, zone));
  }
}

/** The next `count` occurrences strictly after `after` (for "next run times" in the API/console). */
export function upcomingOccurrences(schedule: SyncSchedule, after: Date, anchor: Date, count: number): Date[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, not ${count}`);
  const occurrences: Date[] = [];
  let cursor = after;
  for (let i = 0; i < count; i++) {
    cursor = nextOccurrence(schedule, cursor, anchor);
    occurrences.push(cursor);
  }
  return occurrences;
}

type Simple = Extract<SyncSchedule, { kind: "simple" }>;
type Weekly = Extract<SyncSchedule, { kind: "weekly" }>;
type Monthly = Extract<SyncSchedule, { kind: "monthly" }>;

function nextSimple(schedule: Simple, after: number, anchor: number, zone: IANAZone): number {
  const origin = schedule.startAt === undefined ? anchor : parseStartAt(schedule.startAt);
  if (origin > after) return origin;

  if (schedule.unit === "hours") {
    // Hours are real elapsed time: "every 6 hours" must not become 5 or 7 when the clocks change.
    const interval = schedule.every * HOUR;
    return origin + (Math.floor((after - origin) / interval) + 1) * interval;
  }

  // Days and weeks are calendar steps from the origin's wall time, so "daily at 02:00" stays at 02:00 local. Each
  // occurrence is computed from the origin (never from the previous one) so a DST shift can never accumulate.
  const stepDays = schedule.every * (schedule.unit === "weeks" ? 7 : 1);
  // k = 0 (the origin instant itself, returned above as given even if it is the later of two ambiguous instants) is
  // not after `after` here, so the search starts at k = 1.
  const originWall = wallClock(origin, zone);
  const occurrence = (k: number) => resolveWallClock(originWall.plus({ days: k * stepDays }), zone);
  return firstAfter(occurrence, Math.floor((after - origin) / (stepDays * DAY)), 1, after);
}

function nextWeekly(schedule: Weekly, after: number, anchor: number, zone: IANAZone): number {
  // Weeks run Sunday to Saturday, matching dayOfWeek 0 = Sunday. With everyWeeks > 1 the anchor's week is week 0,
  // so saving the same schedule at another time in the same week never changes which weeks it runs in.
  const anchorDate = wallClock(anchor, zone).startOf("day");
  const firstDate = anchorDate.minus({ days: sundayIndex(anchorDate) }).plus({ days: schedule.dayOfWeek });
  const first = atTime(firstDate, schedule.time);
  const stepDays = 7 * schedule.everyWeeks;
  const occurrence = (k: number) => resolveWallClock(first.plus({ days: k * stepDays }), zone);
  // No lower bound on k: the weekly pattern is a calendar rule, not a series that begins at the anchor.
  return firstAfter(occurrence, Math.floor((after - first.toMillis()) / (stepDays * DAY)), -Infinity, after);
}

function nextMonthly(schedule: Monthly, after: number, zone: IANAZone): number {
  // Start one month early: near a month boundary the local month of `after` and of an occurrence can differ.
  let month = wallClock(after, zone).startOf("month").minus({ months: 1 });
  for (;;) {
    const occurrence = resolveWallClock(
      atTime(nthWeekdayOf(month, schedule.week, schedule.dayOfWeek), schedule.time),
      zone,
    );
    if (occurrence > after) return occurrence;
    month = month.plus({ months: 1 });
  }
}

function nthWeekdayOf(month: DateTime, week: Monthly["week"], dayOfWeek: number): DateTime {
  if (week === "last") {
    const lastDay = month.endOf("month").startOf("day");
    return lastDay.minus({ days: (sundayIndex(lastDay) - dayOfWeek + 7) % 7 });
  }
  return month.plus({ days: ((dayOfWeek - sundayIndex(month) + 7) % 7) + 7 * (week - 1) });
}

/** The smallest occurrence(k), k ≥ minK, after `after`, starting from an estimate of k that is off by at most one
 *  (DST moves an occurrence by hours, never by a whole interval) — so far-future `after`s cost no loop. */
function firstAfter(occurrence: (k: number) => number, estimate: number, minK: number, after: number): number {
  let k = Math.max(estimate, minK);
  while (k > minK && occurrence(k - 1) > after) k--;
  while (occurrence(k) <= after) k++;
  return occurrence(k);
}

// Wall-clock values are luxon DateTimes in UTC used as a floating local date-time: calendar arithmetic on them
// (plus days, start of month) never meets a DST transition; resolveWallClock decides the real instant afterwards.

function wallClock(instant: number, zone: IANAZone): DateTime {
  return DateTime.fromMillis(instant + zone.offset(instant) * MINUTE, { zone: "utc" });
}

function atTime(date: DateTime, time: string): DateTime {
  const [hour, minute] = time.split(":").map(Number);
  return date.set({ hour, minute, second: 0, millisecond: 0 });
}

function resolveWallClock(wall: DateTime, zone: IANAZone): number {
  const local = wall.toMillis();
  // Any real instant showing this wall time uses one of the offsets in force within a day of it.
  const before = zone.offset(local - DAY);
  const later = zone.offset(local + DAY);
  const candidates = [before, zone.offset(local), later]
    .map((offset) => local - offset * MINUTE)
    .filter((instant) => wallClock(instant, zone).toMillis() === local);
  if (candidates.length > 0) return Math.min(...candidates); // fall-back: the earlier of the two instants

  // Spring-forward gap: the clocks jump at some instant between reading the wall time with the later offset (still
  // before the jump) and with the earlier offset (already after it). Bisect for the jump; that is the run time.
  let lo = local - later * MINUTE;
  let hi = local - before * MINUTE;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** 0 = Sunday … 6 = Saturday, as in the contracts (luxon counts 1 = Monday … 7 = Sunday). */
function sundayIndex(date: DateTime): number {
  return date.weekday % 7;
}

function zoneOf(name: string): IANAZone {
  const zone = IANAZone.create(name);
  if (!zone.isValid) throw new Error(`the schedule's time zone "${name}" is not a known IANA time zone`);
  return zone;
}

function parseStartAt(startAt: string): number {
  const start = DateTime.fromISO(startAt, { setZone: true });
  if (!start.isValid) throw new Error(`the schedule's startAt "${startAt}" is not an ISO-8601 date-time`);
  return start.toMillis();
}

function instantOf(date: Date, name: string): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new Error(`${name} is an invalid Date`);
  return ms;
}
