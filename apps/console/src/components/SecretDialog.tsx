import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Dialog } from "./Dialog.tsx";

export interface SecretDialogProps {
  title: string;
  /** What the secret is for and what happens next ("… must change it at first sign-in."). */
  message: string;
  /** The label of the field that shows the secret. */
  label: string;
  secret: string;
  onClose: () => void;
}

/** Shows a secret (a generated password, an API token) this once, with a button that copies it. */
export function SecretDialog({ title, message, label, secret, onClose }: SecretDialogProps) {
  const { t } = useTranslation();
  const id = useId();
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");

  const copySecret = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopy("copied");
    } catch {
      setCopy("failed");
    }
  };

  return (
    <Dialog title={title} onClose={onClose} describedBy={`${id}-message`} className="dialog--secret">
      <div className="form">
        <p id={`${id}-message`}>{message}</p>
        <div className="form__field">
          <label htmlFor={`${id}-secret`}>{label}</label>
          <div className="secret">
            <input
              id={`${id}-secret`}
              className="secret__value"
              readOnly
              value={secret}
              spellCheck={false}
              autoComplete="off"
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" className="button" onClick={() => void copySecret()} data-autofocus>
              {t("secret.copy")}
            </button>
          </div>
          <p role="status" className="form__hint">
            {copy === "copied" && t("secret.copied")}
            {copy === "failed" && t("secret.copyFailed")}
          </p>
        </div>
        <div className="dialog__actions">
          <button type="button" className="button button--primary" onClick={onClose}>
            {t("secret.done")}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
