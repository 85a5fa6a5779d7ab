import { useMemo } from "react";
import { useTranslation } from "react-i18next";

/**
 * Formats ISO-8601 instants as date and time in the console's language (and the browser's time zone); `short` dates
 * (11/24/25) for wide tables.
 */
export function useDateTimeFormat({ seconds = false, short = false }: { seconds?: boolean; short?: boolean } = {}): (
  iso: string,
) => string {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage;
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(language, {
      dateStyle: short ? "short" : "medium",
      timeStyle: seconds ? "medium" : "short",
    });
    return (iso: string) => format.format(new Date(iso));
  }, [language, seconds, short]);
}

/** Formats ISO-8601 instants as a date (no time) in the console's language: "Date Released". */
export function useDateFormat(): (iso: string) => string {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage;
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(language, { dateStyle: "medium" });
    return (iso: string) => format.format(new Date(iso));
  }, [language]);
}

/** Formats counts in the console's language (with grouping: 12,345). */
export function useNumberFormat(): (value: number) => string {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage;
  return useMemo(() => {
    const format = new Intl.NumberFormat(language);
    return (value: number) => format.format(value);
  }, [language]);
}

/**
 * 3 725 s → "1 hr 2 min 5 sec" (en-US), "1 Std., 2 Min. und 5 Sek." (de-DE): each unit with Intl's own short name,
 * joined as the locale joins units. Zero parts are left out; under a second reads "0 sec". (The log viewer keeps
 * wsyncmgr.log's own hh:mm:ss.)
 */
export function formatDurationIn(locale: string | undefined, totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const parts: [number, "hour" | "minute" | "second"][] = [
    [Math.floor(s / 3600), "hour"],
    [Math.floor((s % 3600) / 60), "minute"],
    [s % 60, "second"],
  ];
  const shown = parts.filter(([value]) => value > 0);
  const units = (shown.length > 0 ? shown : [parts[2]!]).map(([value, unit]) =>
    new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "short" }).format(value),
  );
  return new Intl.ListFormat(locale, { style: "narrow", type: "unit" }).format(units);
}

/** Durations (run times, ETAs) in the console's language. */
export function useDurationFormat(): (seconds: number) => string {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage;
  return useMemo(() => (seconds: number) => formatDurationIn(language, seconds), [language]);
}

const BYTE_UNITS = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;

/** 1 536 000 → "1.5 MB" (en-US), "1,5 MB" (de-DE): sizes with binary steps, in the console's language. */
export function formatBytesIn(locale: string | undefined, bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: "unit",
    unit: BYTE_UNITS[unit],
    unitDisplay: unit === 0 ? "long" : "short",
    maximumFractionDigits: unit === 0 ? 0 : 1,
    minimumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

export function useByteFormat(): (bytes: number) => string {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage;
  return useMemo(() => (bytes: number) => formatBytesIn(language, bytes), [language]);
}

/** "A, B, and C" (en-US), "A, B und C" (de-DE), "A、B和C" (zh-CN): a list of names joined as the language joins them. */
export function useListFormat(): (items: string[]) => string {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage;
  return useMemo(() => {
    const format = new Intl.ListFormat(language, { style: "long", type: "conjunction" });
    return (items: string[]) => format.format(items);
  }, [language]);
}
