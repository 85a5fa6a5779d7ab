// i18n for the console. en-US is the source language and ships in the main bundle; other locales are sibling files in
// ./locales (sv-SE.json, zh-CN.json, de-DE.json, nl-NL.json, it-IT.json, …) with the same keys, loaded on demand.
import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import enUS from "./locales/en-US.json";

export const DEFAULT_LOCALE = "en-US";

type Translation = typeof enUS;
const otherLocales = import.meta.glob<{ default: Translation }>(["./locales/*.json", "!./locales/en-US.json"]);
const localeOf = (file: string) => file.replace(/^\.\/locales\//, "").replace(/\.json$/, "");

/** Every locale the console has translations for, the default first. */
export const AVAILABLE_LOCALES: readonly string[] = [DEFAULT_LOCALE, ...Object.keys(otherLocales).map(localeOf)];

/** The best available locale for a list of requested ones (BCP 47 tags, best first): exact tag, then same language. */
export function matchLocale(requested: readonly string[], available: readonly string[] = AVAILABLE_LOCALES): string {
  for (const tag of requested) {
    const exact = available.find((locale) => locale.toLowerCase() === tag.toLowerCase());
    if (exact) return exact;
    const language = tag.split("-")[0]?.toLowerCase();
    const sameLanguage = available.find((locale) => locale.split("-")[0]?.toLowerCase() === language);
    if (sameLanguage) return sameLanguage;
  }
  return DEFAULT_LOCALE;
}

/** Each language by its own name, as a language picker lists them. */
export const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  "en-US": "English",
  "sv-SE": "Svenska",
  "zh-CN": "简体中文",
  "de-DE": "Deutsch",
  "nl-NL": "Nederlands",
  "it-IT": "Italiano",
};

const REMEMBERED = "syncpoint.locale";

/** The language last chosen in this browser (for the sign-in page, before the user's own is known). */
export function rememberedLocale(): string | undefined {
  try {
    return globalThis.localStorage?.getItem(REMEMBERED) ?? undefined;
  } catch {
    return undefined; // storage disabled
  }
}

export function rememberLocale(locale: string): void {
  try {
    globalThis.localStorage?.setItem(REMEMBERED, locale);
  } catch {
    // storage disabled: the server still remembers it for the user
  }
}

/** Switches the console to the best match for `requested`, loading its translations first when needed. */
export async function setLocale(requested: string | readonly string[]): Promise<void> {
  const locale = matchLocale(typeof requested === "string" ? [requested] : requested);
  if (!i18next.hasResourceBundle(locale, "translation")) {
    const load = otherLocales[`./locales/${locale}.json`];
    if (load) i18next.addResourceBundle(locale, "translation", (await load()).default);
  }
  if (i18next.language !== locale) await i18next.changeLanguage(locale);
}

i18next.on("languageChanged", (locale) => {
  if (typeof document !== "undefined") document.documentElement.lang = locale;
});

void i18next.use(initReactI18next).init({
  resources: { [DEFAULT_LOCALE]: { translation: enUS } },
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  load: "currentOnly",
  // React escapes what it renders; escaping here too would show entities.
  interpolation: { escapeValue: false },
  returnEmptyString: false,
  // Resources are inline: initialize synchronously so the first render is translated.
  initAsync: false,
});

export default i18next;
