import { ROLE_PERMISSIONS, type UserSummary } from "@syncpoint/contracts";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useMe } from "../../../api/auth.ts";
import { useUsers } from "../../../api/users.ts";
import { ActionBar, ActionButton } from "../../../components/ActionBar.tsx";
import { queryStateMessage } from "../../../components/LoadError.tsx";
import { SecretDialog } from "../../../components/SecretDialog.tsx";
import { useRowSelection } from "../../../components/useRowSelection.ts";
import { useDateTimeFormat } from "../../../i18n/format.ts";
import { permissionAction, roleLabel } from "../../../i18n/labels.ts";
import { NodePage, type NodePageProps } from "../../NodePage.tsx";
import { AddUserDialog, ChangeRoleDialog, DeleteUserDialog, ResetPasswordDialog } from "./UserDialogs.tsx";

type OpenDialog =
  | { kind: "add" }
  | { kind: "role" | "reset" | "delete"; user: UserSummary }
  | { kind: "password"; username: string; password: string; cause: "created" | "reset" };

/** Administration › Security › Administrative Users: who may sign in, with which role; add, change, reset, delete. */
export default function AdministrativeUsersPage({ node }: NodePageProps) {
  const { t } = useTranslation();
  const me = useMe().data;
  const users = useUsers();
  const items = users.data?.items ?? [];
  const [selectedId, setSelectedId] = useState<string>();
  const selected = items.find((user) => user.id === selectedId);
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const [notice, setNotice] = useState("");
  const formatDate = useDateTimeFormat();
  const rowProps = useRowSelection(
    items.map((user) => user.id),
    selected?.id,
    setSelectedId,
  );
  const captionId = useId();
  const close = () => setDialog(null);

  const selectFirst = selected ? undefined : t("users.selectFirst");
  const deleteUnavailable =
    selectFirst ?? (selected && selected.username === me?.username ? t("users.cannotDeleteSelf") : undefined);

  const state = queryStateMessage(users, { loading: t("users.loading"), failed: t("users.loadFailed") });
  let list;
  if (state) {
    list = state;
  } else {
    list = (
      <div className="table-frame">
        <table role="grid" aria-readonly="true" aria-labelledby={captionId} className="data-table data-table--select">
          <caption id={captionId}>{t("users.count", { count: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("users.columns.username")}</th>
              <th scope="col">{t("users.columns.role")}</th>
              <th scope="col">{t("users.columns.mustChangePassword")}</th>
              <th scope="col">{t("users.columns.lastLogin")}</th>
              <th scope="col">{t("users.columns.created")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((user) => (
              <tr key={user.id} {...rowProps(user.id)}>
                <th scope="row">{user.username}</th>
                <td>{roleLabel(t, user.role)}</td>
                <td>{user.mustChangePassword ? t("common.yes") : t("common.no")}</td>
                <td>{user.lastLoginAt ? formatDate(user.lastLoginAt) : t("common.never")}</td>
                <td>{formatDate(user.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <NodePage node={node}>
      <ActionBar label={t("users.actions.label")}>
        <ActionButton permission="users.manage" onClick={() => setDialog({ kind: "add" })}>
          {t("users.actions.add")}
        </ActionButton>
        <ActionButton
          permission="users.manage"
          unavailableReason={selectFirst}
          onClick={() => selected && setDialog({ kind: "role", user: selected })}
        >
          {t("users.actions.changeRole")}
        </ActionButton>
        <ActionButton
          permission="users.manage"
          unavailableReason={selectFirst}
          onClick={() => selected && setDialog({ kind: "reset", user: selected })}
        >
          {t("users.actions.resetPassword")}
        </ActionButton>
        <ActionButton
          permission="users.manage"
          unavailableReason={deleteUnavailable}
          onClick={() => selected && setDialog({ kind: "delete", user: selected })}
        >
          {t("users.actions.delete")}
        </ActionButton>
      </ActionBar>
      <p role="status" className="notice">
        {notice}
      </p>
      {list}
      <UserDetails user={selected} formatDate={formatDate} />

      {dialog?.kind === "add" && (
        <AddUserDialog
          onClose={close}
          onCreated={({ user, initialPassword }) => {
            setSelectedId(user.id);
            setNotice(t("users.notices.added", { username: user.username }));
            setDialog(
              initialPassword
                ? { kind: "password", username: user.username, password: initialPassword, cause: "created" }
                : null,
            );
          }}
        />
      )}
      {dialog?.kind === "role" && (
        <ChangeRoleDialog
          user={dialog.user}
          onClose={close}
          onChanged={(user) => {
            setNotice(t("users.notices.roleChanged", { username: user.username, role: roleLabel(t, user.role) }));
            close();
          }}
        />
      )}
      {dialog?.kind === "reset" && (
        <ResetPasswordDialog
          user={dialog.user}
          onClose={close}
          onReset={(password) => {
            setNotice(t("users.notices.passwordReset", { username: dialog.user.username }));
            setDialog({ kind: "password", username: dialog.user.username, password, cause: "reset" });
          }}
        />
      )}
      {dialog?.kind === "delete" && (
        <DeleteUserDialog
          user={dialog.user}
          onClose={close}
          onDeleted={() => {
            setSelectedId(undefined);
            setNotice(t("users.notices.deleted", { username: dialog.user.username }));
            close();
          }}
        />
      )}
      {dialog?.kind === "password" && (
        <SecretDialog
          title={dialog.cause === "created" ? t("users.password.createdTitle") : t("users.password.resetTitle")}
          message={t("users.password.message", { username: dialog.username })}
          label={t("users.password.label", { username: dialog.username })}
          secret={dialog.password}
          onClose={close}
        />
      )}
    </NodePage>
  );
}

/** The details pane below the list: the selected user and what their role allows. */
function UserDetails({ user, formatDate }: { user: UserSummary | undefined; formatDate: (iso: string) => string }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section className="details-pane" aria-labelledby={headingId}>
      <h2 id={headingId} className="details-pane__title">
        {user ? user.username : t("users.details.title")}
      </h2>
      {user ? (
        <dl className="details-list">
          <dt>{t("users.columns.role")}</dt>
          <dd>{roleLabel(t, user.role)}</dd>
          <dt>{t("users.details.permissions")}</dt>
          <dd>
            <ul className="plain-list">
              {ROLE_PERMISSIONS[user.role].map((permission) => (
                <li key={permission}>{permissionAction(t, permission)}</li>
              ))}
            </ul>
          </dd>
          <dt>{t("users.columns.mustChangePassword")}</dt>
          <dd>{user.mustChangePassword ? t("common.yes") : t("common.no")}</dd>
          <dt>{t("users.columns.lastLogin")}</dt>
          <dd>{user.lastLoginAt ? formatDate(user.lastLoginAt) : t("common.never")}</dd>
          <dt>{t("users.columns.created")}</dt>
          <dd>{formatDate(user.createdAt)}</dd>
        </dl>
      ) : (
        <p className="muted">{t("users.details.none")}</p>
      )}
    </section>
  );
}
