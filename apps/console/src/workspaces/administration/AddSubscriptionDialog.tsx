import {
  NOTIFICATION_EVENTS,
  type NotificationEvent,
  type NotificationKind,
  type NotificationSubscriptionDto,
} from "@syncpoint/contracts";
import { useId, useState, type FormEvent, type TextareaHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client.ts";
import { localizedFields } from "../../api/error-text.ts";
import { useCreateNotificationSubscription } from "../../api/notifications.ts";
import { ActionButton } from "../../components/ActionBar.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { ErrorText } from "../../components/ErrorText.tsx";
import { FieldMessage } from "../../components/FieldMessage.tsx";
import { FormField } from "../../components/FormField.tsx";
import {
  emptySubscriptionForm,
  generateSecret,
  MAX_RECIPIENTS,
  MIN_SECRET_LENGTH,
  subscriptionFieldErrors,
  subscriptionRequest,
  validateSubscription,
  type SubscriptionErrors,
  type SubscriptionField,
  type SubscriptionFormValues,
} from "./notification-form.ts";
import { eventLabel } from "./notification-labels.ts";

/** The order of the fields in the dialog: the first one with an error gets the focus. */
const FIELD_ORDER: readonly SubscriptionField[] = ["name", "targets", "secret", "events"];
const KINDS: readonly NotificationKind[] = ["email", "webhook"];

/**
 * Add subscription: email recipients or a webhook URL, the events, and for a webhook an optional signing secret. The
 * secret is shown here only: the server stores it encrypted and never returns it, so the receiver must get it now.
 */
export function AddSubscriptionDialog({
  onClose,
  onAdded,
}: {
  onClose: () => void;
  onAdded: (subscription: NotificationSubscriptionDto) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const create = useCreateNotificationSubscription();
  const [values, setValues] = useState<SubscriptionFormValues>(emptySubscriptionForm);
  const [errors, setErrors] = useState<SubscriptionErrors>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  const busy = create.isPending;
  const fieldId = (field: SubscriptionField) => `${id}-${field}`;

  const set = <K extends keyof SubscriptionFormValues>(name: K, value: SubscriptionFormValues[K]) =>
    setValues((current) => ({ ...current, [name]: value }));
  const toggleEvent = (event: NotificationEvent, on: boolean) =>
    setValues((current) => ({
      ...current,
      events: on ? [...current.events, event] : current.events.filter((e) => e !== event),
    }));
  const focusFirst = (found: SubscriptionErrors) => {
    const first = FIELD_ORDER.find((field) => found[field]);
    if (first) document.getElementById(fieldId(first))?.focus();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.reset();
    setOtherErrors([]);
    const found = validateSubscription(t, values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirst(found);
      return;
    }
    const request = subscriptionRequest(values);
    create.mutate(request, {
      onSuccess: onAdded,
      onError: (error) => {
        if (!(error instanceof ApiError) || error.fields.length === 0) return;
        const server = subscriptionFieldErrors(localizedFields(t, error.fields), request);
        setErrors(server.errors);
        setOtherErrors(server.other);
        focusFirst(server.errors);
      },
    });
  };

  const copySecret = async () => {
    try {
      await navigator.clipboard.writeText(values.secret);
      setCopy("copied");
    } catch {
      setCopy("failed");
    }
  };

  const fieldErrorShown = Object.keys(errors).length > 0;

  return (
    <Dialog title={t("notifications.add.title")} onClose={onClose} busy={busy} className="dialog--secret">
      <form onSubmit={onSubmit} noValidate aria-busy={busy} className="form">
        {create.isError && (
          <div role="alert" className="message message--error">
            <p>{fieldErrorShown ? t("notifications.add.fixFields") : <ErrorText error={create.error} />}</p>
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
        <FormField
          id={fieldId("name")}
          label={t("notifications.add.name")}
          hint={t("notifications.add.nameHint")}
          error={errors.name}
          input={{
            type: "text",
            name: "name",
            autoComplete: "off",
            maxLength: 128,
            value: values.name,
            onChange: (e) => set("name", e.currentTarget.value),
          }}
        />
        <fieldset className="form-subsection subscription-choice">
          <legend>{t("notifications.add.kind")}</legend>
          <div className="form__row">
            {KINDS.map((kind) => (
              <div key={kind} className="checkbox-field">
                <input
                  id={`${id}-kind-${kind}`}
                  type="radio"
                  name={`${id}-kind`}
                  checked={values.kind === kind}
                  onChange={() => {
                    // Each kind keeps what was typed for it; only the errors of the other kind's fields go.
                    setErrors((current) => ({ ...current, targets: undefined, secret: undefined }));
                    set("kind", kind);
                  }}
                />
                <label htmlFor={`${id}-kind-${kind}`}>
                  {kind === "email" ? t("notifications.add.email") : t("notifications.add.webhook")}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        {values.kind === "email" ? (
          <TextAreaField
            id={fieldId("targets")}
            label={t("notifications.add.recipients")}
            hint={t("notifications.add.recipientsHint", { max: MAX_RECIPIENTS })}
            error={errors.targets}
            textarea={{
              name: "recipients",
              rows: 4,
              autoComplete: "off",
              spellCheck: false,
              value: values.recipients,
              onChange: (e) => set("recipients", e.currentTarget.value),
            }}
          />
        ) : (
          <>
            <FormField
              id={fieldId("targets")}
              label={t("notifications.add.url")}
              hint={t("notifications.add.urlHint")}
              error={errors.targets}
              input={{
                type: "url",
                name: "url",
                inputMode: "url",
                autoComplete: "off",
                spellCheck: false,
                maxLength: 2048,
                // i18n-ignore: a URL scheme, the same in every language
                placeholder: "https://",
                value: values.url,
                onChange: (e) => set("url", e.currentTarget.value),
              }}
            />
            <div className={`form__field${errors.secret ? " form__field--invalid" : ""}`}>
              <label htmlFor={fieldId("secret")}>{t("notifications.add.secret")}</label>
              <div className="secret">
                <input
                  id={fieldId("secret")}
                  className="secret__value"
                  type="text"
                  name="secret"
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={256}
                  value={values.secret}
                  aria-invalid={errors.secret ? true : undefined}
                  aria-describedby={[
                    `${id}-secret-hint`,
                    `${id}-secret-once`,
                    errors.secret ? `${id}-secret-error` : "",
                  ]
                    .filter(Boolean)
                    .join(" ")}
                  onChange={(e) => {
                    setCopy("idle");
                    set("secret", e.currentTarget.value);
                  }}
                />
                <button
                  type="button"
                  className="button"
                  onClick={() => {
                    setCopy("idle");
                    set("secret", generateSecret());
                    setErrors((current) => ({ ...current, secret: undefined }));
                  }}
                >
                  {t("notifications.add.generate")}
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={values.secret === ""}
                  onClick={() => void copySecret()}
                >
                  {t("secret.copy")}
                </button>
              </div>
              <p id={`${id}-secret-hint`} className="form__hint">
                {t("notifications.add.secretHint", { min: MIN_SECRET_LENGTH })}
              </p>
              <p id={`${id}-secret-once`} className="form__hint">
                {t("notifications.add.secretOnce")}
              </p>
              <p role="status" className="form__hint">
                {copy === "copied" && t("secret.copied")}
                {copy === "failed" && t("secret.copyFailed")}
              </p>
              {errors.secret && (
                <p id={`${id}-secret-error`} className="form__error">
                  <FieldMessage text={errors.secret} />
                </p>
              )}
            </div>
          </>
        )}
        <fieldset
          id={fieldId("events")}
          tabIndex={-1}
          className="form-subsection subscription-choice"
          aria-describedby={errors.events ? `${id}-events-error` : undefined}
        >
          <legend>{t("notifications.add.events")}</legend>
          {errors.events && (
            <p id={`${id}-events-error`} className="form__error">
              <FieldMessage text={errors.events} />
            </p>
          )}
          {NOTIFICATION_EVENTS.map((event) => (
            <div key={event} className="checkbox-field">
              <input
                id={`${id}-event-${event}`}
                type="checkbox"
                checked={values.events.includes(event)}
                onChange={(e) => toggleEvent(event, e.currentTarget.checked)}
              />
              <label htmlFor={`${id}-event-${event}`}>{eventLabel(t, event)}</label>
            </div>
          ))}
        </fieldset>
        <div className="dialog__actions">
          <ActionButton type="submit" permission="settings.edit" variant="primary" disabled={busy}>
            {t("notifications.add.submit")}
          </ActionButton>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            {t("common.cancel")}
          </button>
          {busy && (
            <span role="status" className="busy">
              {t("common.working")}
            </span>
          )}
        </div>
      </form>
    </Dialog>
  );
}

/** A labelled text area with a hint and an error, like FormField: for lists that are typed or pasted. */
function TextAreaField({
  id,
  label,
  hint,
  error,
  textarea,
}: {
  id: string;
  label: string;
  hint: string;
  error: string | undefined;
  textarea: TextareaHTMLAttributes<HTMLTextAreaElement>;
}) {
  const describedBy = [`${id}-hint`, error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className={`form__field${error ? " form__field--invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <textarea {...textarea} id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
      <p id={`${id}-hint`} className="form__hint">
        {hint}
      </p>
      {error && (
        <p id={`${id}-error`} className="form__error">
          <FieldMessage text={error} />
        </p>
      )}
    </div>
  );
}
