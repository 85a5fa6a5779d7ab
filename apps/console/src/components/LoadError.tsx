import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorText } from "./ErrorText.tsx";

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
      <p>
        <ErrorText error={error} />
      </p>
      <button type="button" className="button" onClick={retry} disabled={retrying}>
        {t("common.retry")}
      </button>
    </div>
  );
}

/**
 * What a list shows while its query has no data: "loading…" or the failure with a retry. Undefined once there is
 * data, so a page goes on to its empty state or its table.
 */
export function queryStateMessage(
  query: Pick<UseQueryResult, "isPending" | "isError" | "error" | "refetch" | "isFetching">,
  texts: { loading: string; failed: string },
): ReactNode | undefined {
  if (query.isPending) {
    return (
      <p role="status" className="state-message">
        {texts.loading}
      </p>
    );
  }
  if (query.isError) {
    return (
      <LoadError
        message={texts.failed}
        error={query.error}
        retry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  return undefined;
}
