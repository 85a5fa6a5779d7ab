// The ribbon action Synchronize Software Updates: a Yes/No confirmation (with "Full synchronization"), then a notice
// with a link to the run that started, or to the run that is already queued or running.
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ApiError } from "../../api/client.ts";
import { useStartSync } from "../../api/sync.ts";
import { ActionButton } from "../../components/ActionBar.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { ErrorText } from "../../components/ErrorText.tsx";
import { syncRunPath as runPath } from "../definitions.ts";

export type SyncOutcome =
  | { kind: "started"; runId: string }
  | { kind: "already"; runId: string | undefined }
  | { kind: "failed"; error: unknown };

/** The run a 409 SYNC_ALREADY_ACTIVE names in its details, if it does. */
function activeRunId(error: ApiError): string | undefined {
  const details = error.details;
  if (typeof details !== "object" || details === null) return undefined;
  const runId = (details as Record<string, unknown>).runId;
  return typeof runId === "string" ? runId : undefined;
}

export function outcomeOfError(error: unknown): SyncOutcome {
  if (error instanceof ApiError && error.code === "SYNC_ALREADY_ACTIVE") {
    return { kind: "already", runId: activeRunId(error) };
  }
  return { kind: "failed", error };
}

/** "Do you want to initiate a site-wide synchronization…?" Yes starts it; the outcome goes to the page. */
export function SynchronizeDialog({
  onClose,
  onOutcome,
}: {
  onClose: () => void;
  onOutcome: (outcome: SyncOutcome) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [fullSync, setFullSync] = useState(false);
  const start = useStartSync();
  const busy = start.isPending;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    start.mutate(
      { fullSync },
      {
        onSuccess: ({ runId }) => onOutcome({ kind: "started", runId }),
        onError: (error) => onOutcome(outcomeOfError(error)),
      },
    );
  };

  return (
    <Dialog title={t("synchronize.title")} onClose={onClose} busy={busy} describedBy={`${id}-message`}>
      <form onSubmit={onSubmit} aria-busy={busy} className="form">
        <p id={`${id}-message`}>{t("synchronize.question")}</p>
        <div className="checkbox-field">
          <input
            id={`${id}-full`}
            type="checkbox"
            checked={fullSync}
            disabled={busy}
            onChange={(e) => setFullSync(e.currentTarget.checked)}
            aria-describedby={`${id}-full-hint`}
          />
          <label htmlFor={`${id}-full`}>{t("synchronize.fullSync")}</label>
          <p id={`${id}-full-hint`} className="form__hint">
            {t("synchronize.fullSyncHint")}
          </p>
        </div>
        <div className="dialog__actions">
          <ActionButton type="submit" permission="sync.run" variant="primary" disabled={busy}>
            {t("common.yes")}
          </ActionButton>
          <button type="button" className="button" onClick={onClose} disabled={busy} data-autofocus>
            {t("common.no")}
          </button>
          {busy && (
            <span role="status" className="busy">
              {t("synchronize.starting")}
            </span>
          )}
        </div>
      </form>
    </Dialog>
  );
}

/**
 * Below the ribbon: "Synchronization started." (a status) or why not (an alert), each with a link to the run. The
 * status region stays in the page, empty, so that what is put in it is announced.
 */
export function SyncOutcomeNotice({ outcome }: { outcome: SyncOutcome | null }) {
  const { t } = useTranslation();
  return (
    <>
      <div role="status" className="notice">
        {outcome?.kind === "started" && (
          <>
            {t("synchronize.started")} <Link to={runPath(outcome.runId)}>{t("synchronize.viewRun")}</Link>
          </>
        )}
      </div>
      {outcome?.kind === "already" && (
        <div role="alert" className="message message--warning">
          <p>
            {t("synchronize.alreadyActive")}{" "}
            {outcome.runId && <Link to={runPath(outcome.runId)}>{t("synchronize.viewRun")}</Link>}
          </p>
        </div>
      )}
      {outcome?.kind === "failed" && (
        <div role="alert" className="message message--error">
          <p>{t("synchronize.failed")}</p>
          <p>
            <ErrorText error={outcome.error} />
          </p>
        </div>
      )}
    </>
  );
}
