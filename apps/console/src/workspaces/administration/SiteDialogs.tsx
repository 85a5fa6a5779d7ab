// Administration › Sites: the Add Primary Site / Add Secondary Site dialog, Properties, and the delete confirmation.
import type { SiteNode } from "@syncpoint/contracts";
import { useId, useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useCreateSite, useDeleteSite, useUpdateSite } from "../../api/sites.ts";
import { ActionButton } from "../../components/ActionBar.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { ErrorText } from "../../components/ErrorText.tsx";
import { FormField } from "../../components/FormField.tsx";
import {
  createRequest,
  emptySiteForm,
  formFromSite,
  serverSiteErrors,
  updateRequest,
  validateSite,
  type SiteFieldErrors,
  type SiteForm,
} from "./site-form.ts";

export type SiteDialogMode =
  { kind: "add"; type: "primary" | "secondary"; parent: SiteNode } | { kind: "edit"; site: SiteNode };

/** Adds a child site with its software update point, or edits a site's name and software update point. */
export function SiteDialog({
  mode,
  onClose,
  onDone,
}: {
  mode: SiteDialogMode;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const adding = mode.kind === "add";
  const initial = useMemo(() => (mode.kind === "add" ? emptySiteForm() : formFromSite(mode.site)), [mode]);
  const [form, setForm] = useState<SiteForm>(initial);
  const [errors, setErrors] = useState<SiteFieldErrors>({});
  const create = useCreateSite();
  const update = useUpdateSite();
  const mutation = adding ? create : update;
  const busy = mutation.isPending;

  const set = (patch: Partial<SiteForm>) => {
    setForm((current) => ({ ...current, ...patch }));
    // A field's message goes once it is edited; the others stay until the next attempt.
    setErrors((current) => {
      const next = { ...current };
      for (const key of Object.keys(patch)) delete next[key as keyof SiteFieldErrors];
      return next;
    });
  };
  const title =
    mode.kind === "edit"
      ? t("sites.dialog.propertiesTitle", { code: mode.site.code })
      : mode.type === "primary"
        ? t("sites.dialog.addPrimaryTitle", { parent: mode.parent.code })
        : t("sites.dialog.addSecondaryTitle", { parent: mode.parent.code });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateSite(t, form, adding);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const onError = (error: unknown) => setErrors(serverSiteErrors(t, error));
    if (mode.kind === "add") {
      const request = createRequest(form, mode.type, mode.parent.code);
      create.mutate(request, {
        onSuccess: () => onDone(t("sites.notices.added", { code: request.code })),
        onError,
      });
    } else {
      const request = updateRequest(initial, form);
      if (!request) {
        onClose();
        return;
      }
      update.mutate(
        { code: mode.site.code, request },
        { onSuccess: () => onDone(t("sites.notices.saved", { code: mode.site.code })), onError },
      );
    }
  };

  const fieldErrorShown = Object.keys(errors).length > 0;
  return (
    <Dialog title={title} onClose={onClose} busy={busy}>
      <form className="form site-form" onSubmit={onSubmit} noValidate aria-busy={busy}>
        {adding && (
          <FormField
            id={`${id}-code`}
            label={t("sites.form.code")}
            hint={t("sites.form.codeHint")}
            error={errors.code}
            input={{
              value: form.code,
              maxLength: 3,
              autoComplete: "off",
              className: "input--short",
              onChange: (e) => set({ code: e.currentTarget.value.toUpperCase() }),
            }}
          />
        )}
        <FormField
          id={`${id}-name`}
          label={t("sites.form.name")}
          error={errors.name}
          input={{ value: form.name, maxLength: 100, onChange: (e) => set({ name: e.currentTarget.value }) }}
        />
        <fieldset className="form-section">
          <legend>{t("sites.form.sup")}</legend>
          <FormField
            id={`${id}-server`}
            label={t("sites.form.serverName")}
            hint={t("sites.form.serverNameHint")}
            error={errors.serverName}
            input={{
              value: form.serverName,
              autoComplete: "off",
              onChange: (e) => set({ serverName: e.currentTarget.value }),
            }}
          />
          <div className="form__row">
            <FormField
              id={`${id}-port`}
              label={t("sites.form.port")}
              error={errors.port}
              input={{
                value: form.port,
                inputMode: "numeric",
                className: "input--short",
                onChange: (e) => set({ port: e.currentTarget.value }),
              }}
            />
            <FormField
              id={`${id}-ssl-port`}
              label={t("sites.form.sslPort")}
              error={errors.sslPort}
              input={{
                value: form.sslPort,
                inputMode: "numeric",
                className: "input--short",
                onChange: (e) => set({ sslPort: e.currentTarget.value }),
              }}
            />
          </div>
          <div className="checkbox-field">
            <input
              id={`${id}-ssl`}
              type="checkbox"
              checked={form.useSsl}
              onChange={(e) => set({ useSsl: e.currentTarget.checked })}
            />
            <label htmlFor={`${id}-ssl`}>{t("sites.form.useSsl")}</label>
          </div>
        </fieldset>
        {mutation.isError && (
          <div role="alert" className="message message--error">
            {fieldErrorShown ? t("sites.form.fixFields") : <ErrorText error={mutation.error} />}
          </div>
        )}
        {!mutation.isError && fieldErrorShown && (
          <div role="alert" className="message message--error">
            {t("sites.form.fixFields")}
          </div>
        )}
        <div className="dialog__actions">
          <ActionButton type="submit" permission="sites.edit" variant="primary" disabled={busy}>
            {adding ? t("sites.dialog.add") : t("sites.dialog.save")}
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

/** "Delete site S05 (Stockholm)?" with the server's 409 shown in place. */
export function DeleteSiteDialog({
  site,
  onClose,
  onDone,
}: {
  site: SiteNode;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation();
  const remove = useDeleteSite();
  return (
    <ConfirmDialog
      title={t("sites.delete.title")}
      message={<p>{t("sites.delete.message", { code: site.code, name: site.name })}</p>}
      confirmLabel={t("sites.delete.confirm")}
      permission="sites.edit"
      destructive
      busy={remove.isPending}
      error={remove.error}
      onConfirm={() =>
        remove.mutate(site.code, { onSuccess: () => onDone(t("sites.notices.deleted", { code: site.code })) })
      }
      onClose={onClose}
    />
  );
}
