import { CONSOLE_LOCALES, type ConsoleLocale } from "@syncpoint/contracts";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useSetLocale } from "../api/auth.ts";
import { errorText } from "../api/error-text.ts";
import { LANGUAGE_NAMES, rememberLocale, setLocale } from "../i18n/index.ts";

/**
 * The console language, per user: the choice switches the console at once (loading that language's strings), is
 * remembered on the server for every browser the user signs in from, and in this browser for the sign-in page.
 */
export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const save = useSetLocale();
  const current = i18n.resolvedLanguage ?? "en-US";

  const choose = async (locale: ConsoleLocale) => {
    rememberLocale(locale);
    await setLocale(locale);
    save.mutate(locale);
  };

  return (
    <span className="language-picker">
      <label htmlFor={id} className="visually-hidden">
        {t("topBar.language")}
      </label>
      <select
        id={id}
        className="language-picker__select"
        value={current}
        title={t("topBar.language")}
        onChange={(event) => void choose(event.currentTarget.value as ConsoleLocale)}
      >
        {CONSOLE_LOCALES.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {LANGUAGE_NAMES[locale]}
          </option>
        ))}
      </select>
      {save.isError && (
        <span role="alert" className="top-bar__error">
          {t("topBar.languageNotSaved", { reason: errorText(t, save.error) })}
        </span>
      )}
    </span>
  );
}
