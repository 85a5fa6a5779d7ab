import { MIN_PASSWORD_LENGTH } from "@syncpoint/contracts";
import { useId, useState, type ChangeEvent, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useChangePassword, useMe } from "../api/auth.ts";
import { ApiError } from "../api/client.ts";
import { fieldErrorMessage } from "../api/error-text.ts";
import { ErrorText } from "../components/ErrorText.tsx";
import { FormField } from "../components/FormField.tsx";
import { useDocumentTitle } from "../components/useDocumentTitle.ts";
import { TopBar } from "../layout/TopBar.tsx";
import { safeNextPath } from "./next-path.ts";

type Field = "currentPassword" | "newPassword" | "confirmPassword";
const FIELDS: readonly Field[] = ["currentPassword", "newPassword", "confirmPassword"];

/** Change the signed-in user's password; forced (every other route leads here) while `me.mustChangePassword`. */
export default function ChangePasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(t("changePassword.title"));
  const me = useMe().data;
  const change = useChangePassword();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get("next"));
  const id = useId();
  const [values, setValues] = useState<Record<Field, string>>({
    currentPassword: "",
    newPassword: "",
    confirmPassword: "",
  });
  const [clientErrors, setClientErrors] = useState<Partial<Record<Field, string>>>({});
  const forced = me?.mustChangePassword ?? false;
  const inputId = (field: Field) => `${id}-${field}`;

  const validate = (): Partial<Record<Field, string>> => {
    const errors: Partial<Record<Field, string>> = {};
    if (values.currentPassword === "") errors.currentPassword = t("changePassword.currentRequired");
    if (values.newPassword.length < MIN_PASSWORD_LENGTH) {
      errors.newPassword = t("changePassword.tooShort", { count: MIN_PASSWORD_LENGTH });
    } else if (values.newPassword === values.currentPassword) errors.newPassword = t("changePassword.sameAsCurrent");
    if (values.confirmPassword !== values.newPassword) errors.confirmPassword = t("changePassword.mismatch");
    return errors;
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors = validate();
    setClientErrors(errors);
    change.reset();
    const firstInvalid = FIELDS.find((field) => errors[field]);
    if (firstInvalid) {
      document.getElementById(inputId(firstInvalid))?.focus();
      return;
    }
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: () => void navigate(next, { replace: true }),
        onError: (error) => {
          const field = error instanceof ApiError ? FIELDS.find((f) => error.fieldMessage(f)) : undefined;
          if (field) document.getElementById(inputId(field))?.focus();
        },
      },
    );
  };

  const serverError = change.error instanceof ApiError ? change.error : undefined;
  // The server's field errors in the user's language, from their reason codes. A server that sends none refuses the
  // current password — once it is filled in — for being wrong, which the console can say in the user's language too.
  const serverFieldError = (field: Field) => {
    const sent = serverError?.field(field);
    if (sent && sent.code === undefined && field === "currentPassword") return t("changePassword.currentIncorrect");
    return fieldErrorMessage(t, serverError, field);
  };
  const fieldError = (field: Field) => clientErrors[field] ?? serverFieldError(field);
  // Field errors show under their fields; anything else (or a 400 naming no field shown here) above the form.
  const generalError = change.isError && !FIELDS.some((f) => serverError?.fieldMessage(f));
  const busy = change.isPending;
  const input = (field: Field, autoComplete: string) => ({
    type: "password",
    name: field,
    autoComplete,
    value: values[field],
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      const value = e.currentTarget.value;
      setValues((v) => ({ ...v, [field]: value }));
    },
  });

  return (
    <div className="page-with-top-bar">
      <TopBar />
      <div className="auth-page auth-page--below-bar">
        <main className="auth-card">
          <h1>{t("changePassword.title")}</h1>
          <p>
            {forced ? t("changePassword.forcedIntro") : t("changePassword.intro", { username: me?.username ?? "" })}
          </p>
          <form onSubmit={onSubmit} noValidate aria-busy={busy} className="form">
            {generalError && (
              <div role="alert" className="message message--error">
                <ErrorText error={change.error} />
              </div>
            )}
            <FormField
              id={inputId("currentPassword")}
              label={t("changePassword.currentPassword")}
              error={fieldError("currentPassword")}
              input={{ ...input("currentPassword", "current-password"), autoFocus: true }}
            />
            <FormField
              id={inputId("newPassword")}
              label={t("changePassword.newPassword")}
              hint={t("changePassword.newPasswordHint", { count: MIN_PASSWORD_LENGTH })}
              error={fieldError("newPassword")}
              input={input("newPassword", "new-password")}
            />
            <FormField
              id={inputId("confirmPassword")}
              label={t("changePassword.confirmPassword")}
              error={fieldError("confirmPassword")}
              input={input("confirmPassword", "new-password")}
            />
            <div className="form__actions">
              <button type="submit" className="button button--primary" disabled={busy}>
                {t("changePassword.submit")}
              </button>
              {!forced && (
                <Link to={next} className="button">
                  {t("changePassword.cancel")}
                </Link>
              )}
              {busy && (
                <span role="status" className="busy">
                  {t("changePassword.submitting")}
                </span>
              )}
            </div>
          </form>
        </main>
      </div>
    </div>
  );
}
