import { MIN_PASSWORD_LENGTH, ROLES, type CreatedUser, type RoleName, type UserSummary } from "@syncpoint/contracts";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../../api/client.ts";
import { fieldErrorMessage } from "../../../api/error-text.ts";
import { useChangeUserRole, useCreateUser, useDeleteUser, useResetPassword } from "../../../api/users.ts";
import { ActionButton } from "../../../components/ActionBar.tsx";
import { ConfirmDialog } from "../../../components/ConfirmDialog.tsx";
import { Dialog } from "../../../components/Dialog.tsx";
import { ErrorText } from "../../../components/ErrorText.tsx";
import { FormField, SelectField } from "../../../components/FormField.tsx";
import { roleLabel } from "../../../i18n/labels.ts";

type AddField = "username" | "role" | "password";
const ADD_FIELDS: readonly AddField[] = ["username", "role", "password"];

/** Add User: name, role and an optional password; without one the server generates it (and returns it once). */
export function AddUserDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (created: CreatedUser) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const create = useCreateUser();
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<RoleName>("read-only-analyst");
  const [password, setPassword] = useState("");
  const [clientErrors, setClientErrors] = useState<Partial<Record<AddField, string>>>({});
  const inputId = (field: AddField) => `${id}-${field}`;

  const serverError = create.error instanceof ApiError ? create.error : undefined;
  const serverFieldError = (field: AddField): string | undefined => {
    if (!serverError) return undefined;
    if (field === "username" && serverError.code === "USERNAME_TAKEN") return t("users.add.usernameTaken");
    return fieldErrorMessage(t, serverError, field);
  };
  const fieldError = (field: AddField) => clientErrors[field] ?? serverFieldError(field);
  const generalError = create.isError && !ADD_FIELDS.some((f) => serverFieldError(f));
  const busy = create.isPending;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const errors: Partial<Record<AddField, string>> = {};
    if (username.trim() === "") errors.username = t("users.add.usernameRequired");
    if (password !== "" && password.length < MIN_PASSWORD_LENGTH) {
      errors.password = t("users.add.passwordTooShort", { count: MIN_PASSWORD_LENGTH });
    }
    setClientErrors(errors);
    create.reset();
    const firstInvalid = ADD_FIELDS.find((field) => errors[field]);
    if (firstInvalid) {
      document.getElementById(inputId(firstInvalid))?.focus();
      return;
    }
    create.mutate(
      { username: username.trim(), role, ...(password === "" ? {} : { password }) },
      {
        onSuccess: onCreated,
        onError: (error) => {
          const field =
            error instanceof ApiError
              ? ADD_FIELDS.find((f) => (f === "username" && error.code === "USERNAME_TAKEN") || error.fieldMessage(f))
              : undefined;
          if (field) document.getElementById(inputId(field))?.focus();
        },
      },
    );
  };

  return (
    <Dialog title={t("users.add.title")} onClose={onClose} busy={busy}>
      <form onSubmit={onSubmit} noValidate aria-busy={busy} className="form">
        {generalError && (
          <div role="alert" className="message message--error">
            <ErrorText error={create.error} />
          </div>
        )}
        <FormField
          id={inputId("username")}
          label={t("users.add.username")}
          error={fieldError("username")}
          input={{
            type: "text",
            name: "username",
            autoComplete: "off",
            spellCheck: false,
            value: username,
            onChange: (e) => setUsername(e.currentTarget.value),
          }}
        />
        <SelectField
          id={inputId("role")}
          label={t("users.add.role")}
          error={fieldError("role")}
          select={{ name: "role", value: role, onChange: (e) => setRole(e.currentTarget.value as RoleName) }}
        >
          <RoleOptions />
        </SelectField>
        <FormField
          id={inputId("password")}
          label={t("users.add.password")}
          hint={t("users.add.passwordHint", { count: MIN_PASSWORD_LENGTH })}
          error={fieldError("password")}
          input={{
            type: "password",
            name: "password",
            autoComplete: "new-password",
            value: password,
            onChange: (e) => setPassword(e.currentTarget.value),
          }}
        />
        <div className="dialog__actions">
          <ActionButton type="submit" permission="users.manage" variant="primary" disabled={busy}>
            {t("users.add.submit")}
          </ActionButton>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            {t("common.cancel")}
          </button>
          {busy && (
            <span role="status" className="busy">
              {t("users.add.submitting")}
            </span>
          )}
        </div>
      </form>
    </Dialog>
  );
}

function RoleOptions() {
  const { t } = useTranslation();
  return ROLES.map((role) => (
    <option key={role} value={role}>
      {roleLabel(t, role)}
    </option>
  ));
}

/** Change Role for one user; demoting the last Full Administrator is refused by the server (shown as an alert). */
export function ChangeRoleDialog({
  user,
  onClose,
  onChanged,
}: {
  user: UserSummary;
  onClose: () => void;
  onChanged: (user: UserSummary) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const change = useChangeUserRole();
  const [role, setRole] = useState<RoleName>(user.role);
  const busy = change.isPending;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (role === user.role) {
      onClose();
      return;
    }
    change.mutate({ id: user.id, role }, { onSuccess: onChanged });
  };

  return (
    <Dialog title={t("users.changeRole.title")} onClose={onClose} busy={busy} describedBy={`${id}-intro`}>
      <form onSubmit={onSubmit} aria-busy={busy} className="form">
        <p id={`${id}-intro`}>
          {t("users.changeRole.intro", { username: user.username, role: roleLabel(t, user.role) })}
        </p>
        {change.isError && (
          <div role="alert" className="message message--error">
            <ErrorText error={change.error} />
          </div>
        )}
        <SelectField
          id={`${id}-role`}
          label={t("users.changeRole.role")}
          select={{ name: "role", value: role, onChange: (e) => setRole(e.currentTarget.value as RoleName) }}
        >
          <RoleOptions />
        </SelectField>
        <div className="dialog__actions">
          <ActionButton type="submit" permission="users.manage" variant="primary" disabled={busy}>
            {t("users.changeRole.submit")}
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

/** Reset Password: confirm, then the new password is passed on to be shown once. */
export function ResetPasswordDialog({
  user,
  onClose,
  onReset,
}: {
  user: UserSummary;
  onClose: () => void;
  onReset: (initialPassword: string) => void;
}) {
  const { t } = useTranslation();
  const reset = useResetPassword();
  return (
    <ConfirmDialog
      title={t("users.resetPassword.title")}
      message={<p>{t("users.resetPassword.message", { username: user.username })}</p>}
      confirmLabel={t("users.resetPassword.submit")}
      permission="users.manage"
      busy={reset.isPending}
      error={reset.error}
      onConfirm={() => reset.mutate(user.id, { onSuccess: (result) => onReset(result.initialPassword) })}
      onClose={onClose}
    />
  );
}

/** Delete: a destructive confirmation naming the user; the server refuses the last administrator and oneself. */
export function DeleteUserDialog({
  user,
  onClose,
  onDeleted,
}: {
  user: UserSummary;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation();
  const remove = useDeleteUser();
  return (
    <ConfirmDialog
      title={t("users.delete.title")}
      message={<p>{t("users.delete.message", { username: user.username })}</p>}
      confirmLabel={t("users.delete.submit")}
      permission="users.manage"
      destructive
      busy={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(user.id, { onSuccess: onDeleted })}
      onClose={onClose}
    />
  );
}
