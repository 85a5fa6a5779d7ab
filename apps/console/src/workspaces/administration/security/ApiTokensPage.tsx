import type { ApiTokenSummary, CreatedApiToken } from "@syncpoint/contracts";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMe } from "../../../api/auth.ts";
import { fieldErrorMessage } from "../../../api/error-text.ts";
import { useCreateToken, useRevokeToken, useTokens } from "../../../api/tokens.ts";
import { ActionBar, ActionButton } from "../../../components/ActionBar.tsx";
import { ConfirmDialog } from "../../../components/ConfirmDialog.tsx";
import { Dialog } from "../../../components/Dialog.tsx";
import { ErrorText } from "../../../components/ErrorText.tsx";
import { FormField, SelectField } from "../../../components/FormField.tsx";
import { queryStateMessage } from "../../../components/LoadError.tsx";
import { SecretDialog } from "../../../components/SecretDialog.tsx";
import { useRowSelection } from "../../../components/useRowSelection.ts";
import { useDateTimeFormat } from "../../../i18n/format.ts";
import { NodePage, type NodePageProps } from "../../NodePage.tsx";

export type TokenStatus = "active" | "revoked" | "expired";

export function tokenStatus(token: ApiTokenSummary, now = Date.now()): TokenStatus {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return "expired";
  return "active";
}

/** The lifetimes offered when creating a token; "never" lasts until revoked. */
const EXPIRY_CHOICES = ["30", "90", "365", "never"] as const;
type ExpiryChoice = (typeof EXPIRY_CHOICES)[number];

type OpenDialog =
  { kind: "create" } | { kind: "revoke"; token: ApiTokenSummary } | { kind: "secret"; created: CreatedApiToken };

/** Administration › Security › API Tokens: personal tokens for scripts; create (secret shown once) and revoke. */
export default function ApiTokensPage({ node }: NodePageProps) {
  const { t } = useTranslation();
  const me = useMe().data;
  const tokens = useTokens();
  const items = tokens.data?.items ?? [];
  const [selectedId, setSelectedId] = useState<string>();
  const selected = items.find((token) => token.id === selectedId);
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const [notice, setNotice] = useState("");
  const formatDate = useDateTimeFormat();
  const rowProps = useRowSelection(
    items.map((token) => token.id),
    selected?.id,
    setSelectedId,
  );
  const captionId = useId();
  const close = () => setDialog(null);
  // A user manager sees everyone's tokens: then the list says whose each one is.
  const showOwner = items.some((token) => token.username !== me?.username);

  const status = (token: ApiTokenSummary) => {
    switch (tokenStatus(token)) {
      case "active":
        return t("tokens.status.active");
      case "revoked":
        return t("tokens.status.revoked");
      case "expired":
        return t("tokens.status.expired");
    }
  };
  const selectedStatus = selected && tokenStatus(selected);
  const revokeUnavailable = !selected
    ? t("tokens.selectFirst")
    : selectedStatus === "revoked"
      ? t("tokens.alreadyRevoked")
      : undefined;

  const state = queryStateMessage(tokens, { loading: t("tokens.loading"), failed: t("tokens.loadFailed") });
  let list;
  if (state) {
    list = state;
  } else if (items.length === 0) {
    list = <p className="state-message">{t("tokens.empty")}</p>;
  } else {
    list = (
      <div className="table-frame">
        <table role="grid" aria-readonly="true" aria-labelledby={captionId} className="data-table data-table--select">
          <caption id={captionId}>{t("tokens.count", { count: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("tokens.columns.name")}</th>
              {showOwner && <th scope="col">{t("tokens.columns.owner")}</th>}
              <th scope="col">{t("tokens.columns.prefix")}</th>
              <th scope="col">{t("tokens.columns.created")}</th>
              <th scope="col">{t("tokens.columns.expires")}</th>
              <th scope="col">{t("tokens.columns.lastUsed")}</th>
              <th scope="col">{t("tokens.columns.status")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((token) => (
              <tr key={token.id} {...rowProps(token.id)} data-status={tokenStatus(token)}>
                <th scope="row">{token.name}</th>
                {showOwner && <td>{token.username}</td>}
                <td>
                  <code>{token.prefix}</code>
                </td>
                <td>{formatDate(token.createdAt)}</td>
                <td>{token.expiresAt ? formatDate(token.expiresAt) : t("common.never")}</td>
                <td>{token.lastUsedAt ? formatDate(token.lastUsedAt) : t("common.never")}</td>
                <td>
                  <span className={`badge badge--${tokenStatus(token)}`}>{status(token)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <NodePage node={node}>
      <ActionBar label={t("tokens.actions.label")}>
        <ActionButton permission="tokens.manage" onClick={() => setDialog({ kind: "create" })}>
          {t("tokens.actions.create")}
        </ActionButton>
        <ActionButton
          permission="tokens.manage"
          unavailableReason={revokeUnavailable}
          onClick={() => selected && setDialog({ kind: "revoke", token: selected })}
        >
          {t("tokens.actions.revoke")}
        </ActionButton>
      </ActionBar>
      <p role="status" className="notice">
        {notice}
      </p>
      {list}

      {dialog?.kind === "create" && (
        <CreateTokenDialog
          onClose={close}
          onCreated={(created) => {
            setSelectedId(created.token.id);
            setNotice(t("tokens.notices.created", { name: created.token.name }));
            setDialog({ kind: "secret", created });
          }}
        />
      )}
      {dialog?.kind === "secret" && (
        <SecretDialog
          title={t("tokens.secret.title")}
          message={t("tokens.secret.message")}
          label={t("tokens.secret.label", { name: dialog.created.token.name })}
          secret={dialog.created.secret}
          onClose={close}
        />
      )}
      {dialog?.kind === "revoke" && (
        <RevokeTokenDialog
          token={dialog.token}
          onClose={close}
          onRevoked={(token) => {
            setNotice(t("tokens.notices.revoked", { name: token.name }));
            close();
          }}
        />
      )}
    </NodePage>
  );
}

function CreateTokenDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (created: CreatedApiToken) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const create = useCreateToken();
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState<ExpiryChoice>("90");
  const [nameError, setNameError] = useState<string>();
  const serverNameError = fieldErrorMessage(t, create.error, "name");
  const busy = create.isPending;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const error = name.trim() === "" ? t("tokens.create.nameRequired") : undefined;
    setNameError(error);
    create.reset();
    if (error) {
      document.getElementById(`${id}-name`)?.focus();
      return;
    }
    create.mutate(
      { name: name.trim(), expiresInDays: expiry === "never" ? null : Number(expiry) },
      { onSuccess: onCreated },
    );
  };

  const expiryLabel = (choice: ExpiryChoice) =>
    choice === "never" ? t("tokens.create.expiresNever") : t("tokens.create.expiresInDays", { count: Number(choice) });

  return (
    <Dialog title={t("tokens.create.title")} onClose={onClose} busy={busy}>
      <form onSubmit={onSubmit} noValidate aria-busy={busy} className="form">
        {create.isError && !serverNameError && (
          <div role="alert" className="message message--error">
            <ErrorText error={create.error} />
          </div>
        )}
        <FormField
          id={`${id}-name`}
          label={t("tokens.create.name")}
          hint={t("tokens.create.nameHint")}
          error={nameError ?? serverNameError}
          input={{
            type: "text",
            name: "name",
            autoComplete: "off",
            maxLength: 100,
            value: name,
            onChange: (e) => setName(e.currentTarget.value),
          }}
        />
        <SelectField
          id={`${id}-expiry`}
          label={t("tokens.create.expiry")}
          select={{
            name: "expiry",
            value: expiry,
            onChange: (e) => setExpiry(e.currentTarget.value as ExpiryChoice),
          }}
        >
          {EXPIRY_CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              {expiryLabel(choice)}
            </option>
          ))}
        </SelectField>
        <div className="dialog__actions">
          <ActionButton type="submit" permission="tokens.manage" variant="primary" disabled={busy}>
            {t("tokens.create.submit")}
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

function RevokeTokenDialog({
  token,
  onClose,
  onRevoked,
}: {
  token: ApiTokenSummary;
  onClose: () => void;
  onRevoked: (token: ApiTokenSummary) => void;
}) {
  const { t } = useTranslation();
  const revoke = useRevokeToken();
  return (
    <ConfirmDialog
      title={t("tokens.revoke.title")}
      message={<p>{t("tokens.revoke.message", { name: token.name, prefix: token.prefix })}</p>}
      confirmLabel={t("tokens.revoke.submit")}
      permission="tokens.manage"
      destructive
      busy={revoke.isPending}
      error={revoke.error}
      onConfirm={() => revoke.mutate(token.id, { onSuccess: onRevoked })}
      onClose={onClose}
    />
  );
}
