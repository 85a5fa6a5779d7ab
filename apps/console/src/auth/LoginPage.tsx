import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useSearchParams } from "react-router";
import { useLogin, useMe } from "../api/auth.ts";
import { fieldErrorMessage } from "../api/error-text.ts";
import { ErrorText } from "../components/ErrorText.tsx";
import { FormField } from "../components/FormField.tsx";
import { FullPageStatus } from "../components/FullPageStatus.tsx";
import { useDocumentTitle } from "../components/useDocumentTitle.ts";
import { safeNextPath } from "./next-path.ts";

type Field = "username" | "password";

export function LoginPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("login.submit"));
  const me = useMe();
  const login = useLogin();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get("next"));
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState<Partial<Record<Field, string>>>({});
  const id = useId();

  // Signed in already, or just now: continue to the page that was asked for.
  if (me.data) return <Navigate to={next} replace />;
  if (me.isPending) return <FullPageStatus>{t("app.loading")}</FullPageStatus>;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems: Partial<Record<Field, string>> = {};
    if (username.trim() === "") problems.username = t("login.userNameRequired");
    if (password === "") problems.password = t("login.passwordRequired");
    setMissing(problems);
    login.reset();
    if (problems.username || problems.password) {
      document.getElementById(problems.username ? `${id}-username` : `${id}-password`)?.focus();
      return;
    }
    login.mutate({ username: username.trim(), password });
  };

  const fieldError = (field: Field) => missing[field] ?? fieldErrorMessage(t, login.error, field);
  const busy = login.isPending;

  return (
    <div className="auth-page">
      <main className="auth-card">
        <h1 className="auth-card__product">{t("app.name")}</h1>
        <p className="auth-card__tagline">{t("app.tagline")}</p>
        <p>{t("login.intro")}</p>
        <form onSubmit={onSubmit} noValidate aria-busy={busy} className="form">
          {login.isError && (
            <div role="alert" className="message message--error">
              <ErrorText error={login.error} />
            </div>
          )}
          <FormField
            id={`${id}-username`}
            label={t("login.userName")}
            error={fieldError("username")}
            input={{
              type: "text",
              name: "username",
              autoComplete: "username",
              autoCapitalize: "none",
              spellCheck: false,
              autoFocus: true,
              value: username,
              onChange: (e) => setUsername(e.currentTarget.value),
            }}
          />
          <FormField
            id={`${id}-password`}
            label={t("login.password")}
            error={fieldError("password")}
            input={{
              type: "password",
              name: "password",
              autoComplete: "current-password",
              value: password,
              onChange: (e) => setPassword(e.currentTarget.value),
            }}
          />
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("login.submit")}
            </button>
            {busy && (
              <span role="status" className="busy">
                {t("login.submitting")}
              </span>
            )}
          </div>
        </form>
      </main>
    </div>
  );
}
