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
