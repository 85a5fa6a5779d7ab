import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useLogout, useMe } from "../api/auth.ts";
import { errorText } from "../api/error-text.ts";
import { roleLabel } from "../i18n/labels.ts";

/** The bar across the top: product name, the signed-in user and role, and Sign out. */
export function TopBar() {
  const { t } = useTranslation();
  const me = useMe().data;
  const logout = useLogout();
  // Once signed out, `me` is null and the route guard shows the login page (with `next`, to come back here).
  const signOut = () => logout.mutate();

  return (
    <header className="top-bar">
      <Link to="/" className="top-bar__product" aria-label={t("topBar.home")}>
        {t("app.name")}
      </Link>
      <div className="top-bar__session">
        {me && (
          <span className="top-bar__user">
            {t("topBar.signedInAs", { username: me.username, role: roleLabel(t, me.role) })}
          </span>
        )}
        {logout.isError && (
          <span role="alert" className="top-bar__error">
            {errorText(t, logout.error)}
          </span>
        )}
        <button type="button" className="button button--quiet" onClick={signOut} disabled={logout.isPending}>
          {t("topBar.signOut")}
        </button>
        {logout.isPending && (
          <span role="status" className="visually-hidden">
            {t("topBar.signingOut")}
          </span>
        )}
      </div>
    </header>
  );
}
