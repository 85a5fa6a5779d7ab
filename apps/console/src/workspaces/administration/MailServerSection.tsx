import type { SupSettingsDto } from "@syncpoint/contracts";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client.ts";
import { localizedFields } from "../../api/error-text.ts";
import { useSupSettings, useUpdateSupSettings } from "../../api/settings.ts";
import { ActionBar, ActionButton, usePermissionReason } from "../../components/ActionBar.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { ErrorText } from "../../components/ErrorText.tsx";
import { FieldMessage } from "../../components/FieldMessage.tsx";
import { FormField } from "../../components/FormField.tsx";
import { queryStateMessage } from "../../components/LoadError.tsx";
import {
  DEFAULT_SMTP_PORT,
  isSmtpChanged,
  PORT_MAX,
  smtpFieldErrors,
  smtpFormFrom,
  smtpRequest,
  SMTPS_PORT,
  validateSmtp,
  type SmtpErrors,
  type SmtpField,
  type SmtpFormValues,
} from "./notification-form.ts";

const FIELD_ORDER: readonly SmtpField[] = ["host", "port", "username", "password", "from"];

/**
 * The mail server (SMTP) email subscriptions are sent through: part of the software update point settings, saved
 * with a PUT of `smtp` alone. The password is write-only: the settings only say whether one is saved.
 */
export function MailServerSection() {
  const { t } = useTranslation();
  const settings = useSupSettings();
  const titleId = useId();
  const state = queryStateMessage(settings, {
    loading: t("notifications.smtp.loading"),
    failed: t("notifications.smtp.loadFailed"),
  });
  return (
    <section aria-labelledby={titleId} className="mail-server">
      <h2 id={titleId} className="section-title">
        {t("notifications.smtp.title")}
      </h2>
      {state ?? (settings.data && <MailServerForm settings={settings.data} titleId={titleId} />)}
    </section>
  );
}

function MailServerForm({ settings, titleId }: { settings: SupSettingsDto; titleId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const { allowed } = usePermissionReason("settings.edit");
  const save = useUpdateSupSettings();
  const remove = useUpdateSupSettings();
  const smtp = settings.smtp;
  const [values, setValues] = useState<SmtpFormValues>(() => smtpFormFrom(smtp));
  const [errors, setErrors] = useState<SmtpErrors>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [notice, setNotice] = useState("");
  const [confirmRemove, setConfirmRemove] = useState(false);
  const changed = isSmtpChanged(values, smtp);

  // The stored settings changed (our save, a removal, someone else): show them, unless that would lose edits.
  const [shownVersion, setShownVersion] = useState(settings.updatedAt);
  if (shownVersion !== settings.updatedAt) {
    setShownVersion(settings.updatedAt);
    if (!changed) setValues(smtpFormFrom(smtp));
  }

  const set = <K extends keyof SmtpFormValues>(name: K, value: SmtpFormValues[K]) =>
    setValues((current) => ({ ...current, [name]: value }));
  const fieldId = (name: SmtpField) => `${id}-${name}`;
  const focusFirst = (found: SmtpErrors) => {
    const first = FIELD_ORDER.find((name) => found[name]);
    if (first) document.getElementById(fieldId(first))?.focus();
  };

  const reset = (stored: SupSettingsDto) => {
    setShownVersion(stored.updatedAt);
    setErrors({});
    setOtherErrors([]);
    setValues(smtpFormFrom(stored.smtp));
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.reset();
    setNotice("");
    setOtherErrors([]);
    const found = validateSmtp(t, values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirst(found);
      return;
    }
    save.mutate(smtpRequest(values), {
      onSuccess: (saved) => {
        // The typed password leaves the page with the save: the field shows "unchanged" from now on.
        reset(saved);
        setNotice(t("notifications.smtp.saved"));
      },
      onError: (error) => {
        if (!(error instanceof ApiError) || error.fields.length === 0) return;
        const server = smtpFieldErrors(localizedFields(t, error.fields));
        setErrors(server.errors);
        setOtherErrors(server.other);
        focusFirst(server.errors);
      },
    });
  };

  const onSecureChange = (secure: boolean) => {
    // Follow the port along when it is the other mode's usual one; a port chosen on purpose stays.
    setValues((current) => ({
      ...current,
      secure,
      port:
        secure && current.port === String(DEFAULT_SMTP_PORT)
          ? String(SMTPS_PORT)
          : !secure && current.port === String(SMTPS_PORT)
            ? String(DEFAULT_SMTP_PORT)
            : current.port,
    }));
  };

  const busy = save.isPending;
  const fieldErrorShown = Object.keys(errors).length > 0;

  return (
    <>
      <p role="status" className="notice">
        {notice}
      </p>
      {!smtp && <p className="muted">{t("notifications.smtp.none")}</p>}
      <form
        onSubmit={onSubmit}
        noValidate
        aria-busy={busy}
        aria-labelledby={titleId}
        className="form mail-server__form"
      >
        {save.isError && (
          <div role="alert" className="message message--error">
            <p>{fieldErrorShown ? t("notifications.smtp.fixFields") : <ErrorText error={save.error} />}</p>
            {otherErrors.length > 0 && (
              <ul className="plain-list">
                {otherErrors.map((text) => (
                  <li key={text}>
                    <FieldMessage text={text} />
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <fieldset className="form-section" disabled={!allowed || busy}>
          <legend className="visually-hidden">{t("notifications.smtp.title")}</legend>
          <div className="form__row">
            <FormField
              id={fieldId("host")}
              label={t("notifications.smtp.host")}
              hint={t("notifications.smtp.hostHint")}
              error={errors.host}
              input={{
                type: "text",
                name: "smtp-host",
                autoComplete: "off",
                spellCheck: false,
                maxLength: 255,
                value: values.host,
                onChange: (e) => set("host", e.currentTarget.value),
              }}
            />
            <FormField
              id={fieldId("port")}
              label={t("notifications.smtp.port")}
              error={errors.port}
              input={{
                type: "number",
                name: "smtp-port",
                inputMode: "numeric",
                min: 1,
                max: PORT_MAX,
                step: 1,
                className: "input--short",
                value: values.port,
                onChange: (e) => set("port", e.currentTarget.value),
              }}
            />
          </div>
          <div className="checkbox-field">
            <input
              id={`${id}-secure`}
              type="checkbox"
              checked={values.secure}
              onChange={(e) => onSecureChange(e.currentTarget.checked)}
              aria-describedby={`${id}-secure-hint`}
            />
            <label htmlFor={`${id}-secure`}>{t("notifications.smtp.secure")}</label>
            <p id={`${id}-secure-hint`} className="form__hint">
              {t("notifications.smtp.secureHint")}
            </p>
          </div>
          <FormField
            id={fieldId("username")}
            label={t("notifications.smtp.username")}
            hint={t("notifications.smtp.usernameHint")}
            error={errors.username}
            input={{
              type: "text",
              name: "smtp-username",
              autoComplete: "off",
              spellCheck: false,
              maxLength: 256,
              value: values.username,
              onChange: (e) => set("username", e.currentTarget.value),
            }}
          />
          <FormField
            id={fieldId("password")}
            label={t("notifications.smtp.password")}
            hint={smtp?.hasPassword ? t("notifications.smtp.passwordKeptHint") : t("notifications.smtp.passwordHint")}
            error={errors.password}
            input={{
              type: "password",
              name: "smtp-password",
              // Not the signed-in user's password: the browser should neither fill it in nor offer to save it as such.
              autoComplete: "new-password",
              maxLength: 1024,
              placeholder: smtp?.hasPassword && !values.clearPassword ? t("notifications.smtp.unchanged") : undefined,
              disabled: values.clearPassword,
              value: values.password,
              onChange: (e) => set("password", e.currentTarget.value),
            }}
          />
          {smtp?.hasPassword && (
            <div className="checkbox-field">
              <input
                id={`${id}-clear-password`}
                type="checkbox"
                checked={values.clearPassword}
                onChange={(e) => {
                  const clear = e.currentTarget.checked;
                  setValues((current) => ({
                    ...current,
                    clearPassword: clear,
                    password: clear ? "" : current.password,
                  }));
                }}
              />
              <label htmlFor={`${id}-clear-password`}>{t("notifications.smtp.clearPassword")}</label>
            </div>
          )}
          <FormField
            id={fieldId("from")}
            label={t("notifications.smtp.from")}
            hint={t("notifications.smtp.fromHint")}
            error={errors.from}
            input={{
              type: "email",
              name: "smtp-from",
              autoComplete: "off",
              spellCheck: false,
              maxLength: 254,
              value: values.from,
              onChange: (e) => set("from", e.currentTarget.value),
            }}
          />
        </fieldset>
        {/* One bar, so that a read-only user reads why once rather than beside each button. */}
        <ActionBar label={t("notifications.smtp.actions")}>
          <ActionButton
            type="submit"
            permission="settings.edit"
            variant="primary"
            disabled={busy}
            unavailableReason={changed ? undefined : t("notifications.smtp.noChanges")}
          >
            {t("notifications.smtp.save")}
          </ActionButton>
          <button type="button" className="button" onClick={() => reset(settings)} disabled={busy || !changed}>
            {t("notifications.smtp.discard")}
          </button>
          <ActionButton
            permission="settings.edit"
            variant="danger"
            disabled={busy}
            unavailableReason={smtp ? undefined : t("notifications.smtp.noServer")}
            onClick={() => {
              remove.reset();
              setConfirmRemove(true);
            }}
          >
            {t("notifications.smtp.remove")}
          </ActionButton>
        </ActionBar>
        {busy && (
          <p role="status" className="busy">
            {t("notifications.smtp.saving")}
          </p>
        )}
      </form>
      {confirmRemove && smtp && (
        <ConfirmDialog
          title={t("notifications.smtp.removeDialog.title")}
          message={<p>{t("notifications.smtp.removeDialog.message", { host: smtp.host })}</p>}
          confirmLabel={t("notifications.smtp.removeDialog.confirm")}
          permission="settings.edit"
          destructive
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() =>
            remove.mutate(
              { smtp: null },
              {
                onSuccess: (saved) => {
                  setConfirmRemove(false);
                  save.reset();
                  reset(saved);
                  setNotice(t("notifications.smtp.removed"));
                },
              },
            )
          }
          onClose={() => setConfirmRemove(false)}
        />
      )}
    </>
  );
}
