import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, Outlet, useLocation } from "react-router";
import { useMe } from "../api/auth.ts";
import { ErrorText } from "../components/ErrorText.tsx";
import { FullPageStatus } from "../components/FullPageStatus.tsx";
import { setLocale } from "../i18n/index.ts";
import { withNext } from "./next-path.ts";

/** Routes below need a session: shows a loading state while `me` loads, and sends signed-out users to the login page. */
export function RequireAuth() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  // A language the user chose wins; until they choose, the browser's (set at start-up) stays.
  const locale = me.data?.localeChosen ? me.data.locale : undefined;

  useEffect(() => {
    if (locale) void setLocale(locale);
  }, [locale]);

  if (me.data === undefined) {
    if (me.isError) {
      return (
        <FullPageStatus role="alert">
          <p>{t("app.loadFailed")}</p>
          <p>
            <ErrorText error={me.error} />
          </p>
          <button type="button" className="button button--primary" onClick={() => void me.refetch()}>
            {t("common.retry")}
          </button>
        </FullPageStatus>
      );
    }
    return <FullPageStatus>{t("app.loading")}</FullPageStatus>;
  }
  if (me.data === null) return <Navigate to={withNext("/login", location)} replace />;
  return <Outlet />;
}

/** While the password must change, every console route leads to the change-password page. */
export function RequirePasswordChanged() {
  const me = useMe();
  const location = useLocation();
  if (me.data?.mustChangePassword) return <Navigate to={withNext("/change-password", location)} replace />;
  return <Outlet />;
}
