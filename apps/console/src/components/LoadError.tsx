import { useTranslation } from "react-i18next";
import { errorText } from "../api/error-text.ts";

/** A list that could not be loaded: what failed, why, and a retry. */
export function LoadError({
  message,
  error,
  retry,
  retrying,
}: {
  message: string;
  error: unknown;
  retry: () => void;
  retrying: boolean;
}) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="message message--error">
      <p>{message}</p>
      <p>{errorText(t, error)}</p>
      <button type="button" className="button" onClick={retry} disabled={retrying}>
        {t("common.retry")}
      </button>
    </div>
  );
}
