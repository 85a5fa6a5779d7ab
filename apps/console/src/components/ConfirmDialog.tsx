import type { Permission } from "@syncpoint/contracts";
import { useId, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ActionButton } from "./ActionBar.tsx";
import { Dialog } from "./Dialog.tsx";
import { ErrorText } from "./ErrorText.tsx";

export interface ConfirmDialogProps {
  title: string;
  /** The question, naming what the action applies to. */
  message: ReactNode;
  confirmLabel: string;
  /** The permission the confirmed action needs. */
  permission: Permission;
  destructive?: boolean;
  busy: boolean;
  /** The failed attempt, shown as an alert in the dialog (LAST_ADMINISTRATOR, …). */
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}

/** "Delete user ana?": the confirmation before an action, with the server's refusal shown in place. Cancel has focus. */
export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  permission,
  destructive = false,
  busy,
  error,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const { t } = useTranslation();
  const id = useId();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onConfirm();
  };
  return (
    <Dialog title={title} onClose={onClose} busy={busy} describedBy={`${id}-message`} role="alertdialog">
      <form onSubmit={onSubmit} aria-busy={busy} className="form">
        <div id={`${id}-message`} className="dialog__message">
          {message}
        </div>
        {error !== null && error !== undefined && (
          <div role="alert" className="message message--error">
            <ErrorText error={error} />
          </div>
        )}
        <div className="dialog__actions">
          <ActionButton
            type="submit"
            permission={permission}
            variant={destructive ? "danger" : "primary"}
            disabled={busy}
          >
            {confirmLabel}
          </ActionButton>
          <button type="button" className="button" onClick={onClose} disabled={busy} data-autofocus>
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
