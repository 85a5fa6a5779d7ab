import { useTranslation } from "react-i18next";
import { errorText, serverErrorDetail } from "../api/error-text.ts";

/**
 * A failed call in words: the console's sentence for its error code, in the user's language, then — smaller, on its
 * own line — the server's code and message as sent (English), which name the specifics (this site, that state) and
 * are what the server log and the API documentation say. Inline content, so it fits in a `<p>` or a message box.
 */
export function ErrorText({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const detail = serverErrorDetail(error);
  return (
    <>
      {errorText(t, error)}
      {detail && (
        <span className="error-detail">
          {t("errors.serverDetail", { code: detail.code })} <span lang="en">{detail.message}</span>
        </span>
      )}
    </>
  );
}
