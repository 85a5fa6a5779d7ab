import type { NotificationSubscriptionDto, NotificationTestResult } from "@syncpoint/contracts";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  useDeleteNotificationSubscription,
  useNotificationSubscriptions,
  useTestNotificationSubscription,
} from "../../api/notifications.ts";
import { ActionBar, ActionButton } from "../../components/ActionBar.tsx";
import { Breakable } from "../../components/Breakable.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { ErrorText } from "../../components/ErrorText.tsx";
import { queryStateMessage } from "../../components/LoadError.tsx";
import { useRowSelection } from "../../components/useRowSelection.ts";
import { useDateTimeFormat } from "../../i18n/format.ts";
import { NodePage, type NodePageProps } from "../NodePage.tsx";
import { AddSubscriptionDialog } from "./AddSubscriptionDialog.tsx";
import { MailServerSection } from "./MailServerSection.tsx";
import { eventLabel, kindLabel } from "./notification-labels.ts";

type OpenDialog = { kind: "add" } | { kind: "delete"; subscription: NotificationSubscriptionDto };

/** The outcome of Send test, kept with the name it was sent to: the selection may have moved on meanwhile. */
interface TestOutcome {
  id: string;
  name: string;
  result?: NotificationTestResult;
  error?: unknown;
}

/**
 * Administration › Site Configuration › Notifications: who is told, by email or webhook, when a synchronization fails,
 * recovers or stalls, or new products or classifications appear; Send test; and the mail server emails go through.
 */
export default function NotificationsPage({ node }: NodePageProps) {
  return (
    <NodePage node={node}>
      <Subscriptions />
      <MailServerSection />
    </NodePage>
  );
}

function Subscriptions() {
  const { t } = useTranslation();
  const subscriptions = useNotificationSubscriptions();
  const send = useTestNotificationSubscription();
  const items = subscriptions.data?.items ?? [];
  const [selectedId, setSelectedId] = useState<string>();
  const selected = items.find((subscription) => subscription.id === selectedId);
  const rowProps = useRowSelection(
    items.map((subscription) => subscription.id),
    selected?.id,
    setSelectedId,
  );
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const [notice, setNotice] = useState("");
  const [tested, setTested] = useState<TestOutcome>();
  const formatTime = useDateTimeFormat();
  const titleId = useId();
  const captionId = useId();
  const resultId = useId();
  const close = () => setDialog(null);

  const onSendTest = () => {
    if (!selected) return;
    const { id, name } = selected;
    setNotice("");
    setTested({ id, name });
    send.mutate(id, {
      onSuccess: (result) => setTested({ id, name, result }),
      onError: (error) => setTested({ id, name, error }),
    });
  };

  const state = queryStateMessage(subscriptions, {
    loading: t("notifications.loading"),
    failed: t("notifications.loadFailed"),
  });
  let list;
  if (state) {
    list = state;
  } else if (items.length === 0) {
    list = <p className="state-message">{t("notifications.empty")}</p>;
  } else {
    list = (
      <div className="table-frame">
        <table
          role="grid"
          aria-readonly="true"
          aria-labelledby={captionId}
          className="data-table data-table--select notifications-table"
        >
          <caption id={captionId}>{t("notifications.count", { count: items.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("notifications.columns.name")}</th>
              <th scope="col">{t("notifications.columns.kind")}</th>
              <th scope="col">{t("notifications.columns.targets")}</th>
              <th scope="col">{t("notifications.columns.events")}</th>
              <th scope="col">{t("notifications.columns.enabled")}</th>
              <th scope="col">{t("notifications.columns.signature")}</th>
              <th scope="col">{t("notifications.columns.createdBy")}</th>
              <th scope="col">{t("notifications.columns.created")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((subscription) => (
              <tr key={subscription.id} {...rowProps(subscription.id)} data-subscription-id={subscription.id}>
                <th scope="row">{subscription.name}</th>
                <td className="nowrap">{kindLabel(t, subscription.kind)}</td>
                <td className="notifications-table__targets">
                  <ul className="plain-list">
                    {subscription.targets.map((target) => (
                      <li key={target}>
                        <Breakable text={target} />
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <ul className="plain-list">
                    {subscription.events.map((event) => (
                      <li key={event}>{eventLabel(t, event)}</li>
                    ))}
                  </ul>
                </td>
                <td>{subscription.enabled ? t("common.yes") : t("common.no")}</td>
                <td>
                  {subscription.kind !== "webhook" ? (
                    <span className="muted">{t("common.notApplicable")}</span>
                  ) : subscription.hasSecret ? (
                    t("notifications.signed")
                  ) : (
                    t("notifications.notSigned")
                  )}
                </td>
                <td>{subscription.createdBy ?? <span className="muted">{t("common.notApplicable")}</span>}</td>
                <td className="nowrap">{formatTime(subscription.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <section aria-labelledby={titleId} className="subscriptions">
      <h2 id={titleId} className="section-title">
        {t("notifications.title")}
      </h2>
      <ActionBar label={t("notifications.actions.label")}>
        <ActionButton
          permission="settings.edit"
          onClick={() => {
            setNotice("");
            setDialog({ kind: "add" });
          }}
        >
          {t("notifications.actions.add")}
        </ActionButton>
        <ActionButton
          permission="settings.edit"
          unavailableReason={selected ? undefined : t("notifications.selectToTest")}
          disabled={send.isPending}
          aria-controls={resultId}
          onClick={onSendTest}
        >
          {t("notifications.actions.test")}
        </ActionButton>
        <ActionButton
          permission="settings.edit"
          unavailableReason={selected ? undefined : t("notifications.selectToDelete")}
          onClick={() => {
            if (!selected) return;
            setNotice("");
            setDialog({ kind: "delete", subscription: selected });
          }}
        >
          {t("notifications.actions.delete")}
        </ActionButton>
      </ActionBar>
      <p role="status" className="notice">
        {notice}
      </p>
      {/* A live region that stays in the page, so that "Sending…" and then the outcome are announced. */}
      <div id={resultId} aria-live="polite" className="delivery-test">
        {tested && <TestResult outcome={tested} />}
      </div>
      {list}

      {dialog?.kind === "add" && (
        <AddSubscriptionDialog
          onClose={close}
          onAdded={(subscription) => {
            setSelectedId(subscription.id);
            setNotice(t("notifications.notices.added", { name: subscription.name }));
            close();
          }}
        />
      )}
      {dialog?.kind === "delete" && (
        <DeleteSubscriptionDialog
          subscription={dialog.subscription}
          onClose={close}
          onDeleted={(subscription) => {
            setSelectedId(undefined);
            if (tested?.id === subscription.id) setTested(undefined);
            setNotice(t("notifications.notices.deleted", { name: subscription.name }));
            close();
          }}
        />
      )}
    </section>
  );
}

/** "Delivered", or "Not delivered:" with what the mail server or the receiver said. */
function TestResult({ outcome }: { outcome: TestOutcome }) {
  const { t } = useTranslation();
  const headingId = useId();
  if (outcome.error !== undefined) {
    return (
      <div role="alert" className="message message--error">
        <ErrorText error={outcome.error} />
      </div>
    );
  }
  if (!outcome.result) return <p className="busy">{t("notifications.test.sending", { name: outcome.name })}</p>;
  const delivered = outcome.result.state === "delivered";
  return (
    <section
      aria-labelledby={headingId}
      className={`connection-result connection-result--${delivered ? "ok" : "failed"}`}
    >
      <h3 id={headingId} className="connection-result__title">
        {t("notifications.test.title", { name: outcome.name })}
      </h3>
      <p className="delivery-test__outcome">
        {delivered
          ? t("notifications.test.delivered")
          : outcome.result.lastError
            ? t("notifications.test.notDelivered", { error: outcome.result.lastError })
            : t("notifications.test.notDeliveredNoReason")}
      </p>
    </section>
  );
}

function DeleteSubscriptionDialog({
  subscription,
  onClose,
  onDeleted,
}: {
  subscription: NotificationSubscriptionDto;
  onClose: () => void;
  onDeleted: (subscription: NotificationSubscriptionDto) => void;
}) {
  const { t } = useTranslation();
  const remove = useDeleteNotificationSubscription();
  return (
    <ConfirmDialog
      title={t("notifications.delete.title")}
      message={<p>{t("notifications.delete.message", { name: subscription.name })}</p>}
      confirmLabel={t("notifications.delete.confirm")}
      permission="settings.edit"
      destructive
      busy={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(subscription.id, { onSuccess: () => onDeleted(subscription) })}
      onClose={onClose}
    />
  );
}
