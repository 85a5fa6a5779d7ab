import { useMemo } from "react";
import { useTranslation } from "react-i18next";

/** Formats ISO-8601 instants as date and time in the console's language (and the browser's time zone). */
export function useDateTimeFormat({ seconds = false }: { seconds?: boolean } = {}): (iso: string) => string {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage;
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: seconds ? "medium" : "short" });
    return (iso: string) => format.format(new Date(iso));
  }, [language, seconds]);
}
