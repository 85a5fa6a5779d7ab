import { useEffect, useId, useRef, useState, type FocusEvent, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import { useLogout, useLogoutEverywhere, useMe } from "../api/auth.ts";
import { withNext } from "../auth/next-path.ts";
import { Dialog } from "../components/Dialog.tsx";
import { ErrorText } from "../components/ErrorText.tsx";
import { roleLabel } from "../i18n/labels.ts";
import { ConnectionIndicator } from "../realtime/ConnectionIndicator.tsx";
import { LanguagePicker } from "./LanguagePicker.tsx";

/** The bar across the top: product name, the signed-in user and role, Sign out, and the account options beside it. */
export function TopBar() {
  const { t } = useTranslation();
  const me = useMe().data;
  const logout = useLogout();
  const [confirmEverywhere, setConfirmEverywhere] = useState(false);
  // Once signed out, `me` is null and the route guard shows the login page (with `next`, to come back here).
  const signOut = () => logout.mutate();

  return (
    <header className="top-bar">
      <Link to="/" className="top-bar__product" aria-label={t("topBar.home")}>
        {t("app.name")}
      </Link>
      <div className="top-bar__session">
        <ConnectionIndicator />
        {me && <LanguagePicker />}
        {me && (
          <span className="top-bar__user">
            {t("topBar.signedInAs", { username: me.username, role: roleLabel(t, me.role) })}
          </span>
        )}
        {logout.isError && (
          <span role="alert" className="top-bar__error">
            <ErrorText error={logout.error} />
          </span>
        )}
        <div className="split-button">
          <button type="button" className="button button--quiet" onClick={signOut} disabled={logout.isPending}>
            {t("topBar.signOut")}
          </button>
          {me && <AccountMenu onSignOutEverywhere={() => setConfirmEverywhere(true)} />}
        </div>
        {logout.isPending && (
          <span role="status" className="visually-hidden">
            {t("topBar.signingOut")}
          </span>
        )}
      </div>
      {confirmEverywhere && me && (
        <SignOutEverywhereDialog username={me.username} onClose={() => setConfirmEverywhere(false)} />
      )}
    </header>
  );
}

/**
 * The menu button next to Sign out: Change password, and Sign out everywhere. A disclosure: Escape, a click outside
 * or moving focus away closes it.
 */
function AccountMenu({ onSignOutEverywhere }: { onSignOutEverywhere: () => void }) {
  const { t } = useTranslation();
  const location = useLocation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "Escape" || !open) return;
    event.preventDefault();
    setOpen(false);
    toggle.current?.focus();
  };
  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    if (event.relatedTarget && !event.currentTarget.contains(event.relatedTarget as Node)) setOpen(false);
  };

  return (
    <div className="account-menu" ref={root} onKeyDown={onKeyDown} onBlur={onBlur}>
      <button
        ref={toggle}
        type="button"
        className="button button--quiet account-menu__toggle"
        aria-expanded={open}
        aria-controls={open ? `${id}-menu` : undefined}
        aria-label={t("topBar.accountOptions")}
        title={t("topBar.accountOptions")}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul id={`${id}-menu`} className="account-menu__panel">
          {location.pathname !== "/change-password" && (
            <li>
              <Link
                to={withNext("/change-password", location)}
                className="account-menu__item"
                onClick={() => setOpen(false)}
              >
                {t("topBar.changePassword")}
              </Link>
            </li>
          )}
          <li>
            <button
              type="button"
              className="account-menu__item"
              onClick={() => {
                // The confirmation returns focus to the menu button when it closes.
                toggle.current?.focus();
                setOpen(false);
                onSignOutEverywhere();
              }}
            >
              {t("topBar.signOutEverywhereItem")}
            </button>
          </li>
        </ul>
      )}
    </div>
  );
}

/** Ends every session of the user, in every browser, this one included; API tokens stay valid. */
function SignOutEverywhereDialog({ username, onClose }: { username: string; onClose: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const everywhere = useLogoutEverywhere();
  const busy = everywhere.isPending;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    everywhere.mutate();
  };
  return (
    <Dialog
      title={t("topBar.signOutEverywhereTitle")}
      onClose={onClose}
      busy={busy}
      describedBy={`${id}-message`}
      role="alertdialog"
    >
      <form onSubmit={onSubmit} aria-busy={busy} className="form">
        <p id={`${id}-message`}>{t("topBar.signOutEverywhereMessage", { username })}</p>
        {everywhere.isError && (
          <div role="alert" className="message message--error">
            <ErrorText error={everywhere.error} />
          </div>
        )}
        <div className="dialog__actions">
          <button type="submit" className="button button--danger" disabled={busy}>
            {t("topBar.signOutEverywhere")}
          </button>
          <button type="button" className="button" onClick={onClose} disabled={busy} data-autofocus>
            {t("common.cancel")}
          </button>
          {busy && (
            <span role="status" className="busy">
              {t("topBar.signingOut")}
            </span>
          )}
        </div>
      </form>
    </Dialog>
  );
}
