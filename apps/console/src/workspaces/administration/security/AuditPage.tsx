import { ROLES, type AuditEventDto, type AuditOutcome, type RoleName } from "@syncpoint/contracts";
import type { TFunction } from "i18next";
import { useId, useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { useAuditPage } from "../../../api/audit.ts";
import { useUsers } from "../../../api/users.ts";
import { FormField, SelectField } from "../../../components/FormField.tsx";
import { queryStateMessage } from "../../../components/LoadError.tsx";
import { useRowSelection } from "../../../components/useRowSelection.ts";
import { useDateTimeFormat } from "../../../i18n/format.ts";
import { roleLabel } from "../../../i18n/labels.ts";
import { NodePage, type NodePageProps } from "../../NodePage.tsx";
import {
  auditRequest,
  auditViewParams,
  DEFAULT_PAGE_SIZE,
  DEFAULT_SORT,
  NO_FILTERS,
  PAGE_SIZES,
  readAuditView,
  type AuditFilters,
  type AuditView,
} from "./audit-view.ts";

/** Administration › Security › Audit: who did what, when and from where; filtered and paged by the server. */
export default function AuditPage({ node }: NodePageProps) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const view = readAuditView(params);
  const audit = useAuditPage(auditRequest(view));
  const [selectedId, setSelectedId] = useState<string>();
  const items = audit.data?.items ?? [];
  const selected = items.find((event) => event.id === selectedId);
  const rowProps = useRowSelection(
    items.map((event) => event.id),
    selected?.id,
    setSelectedId,
  );
  const formatTime = useDateTimeFormat({ seconds: true });
  const captionId = useId();
  // To name the users that records target by id; records of deleted users keep the id.
  const users = useUsers();
  const usernames = useMemo(
    () => new Map((users.data?.items ?? []).map((user) => [user.id, user.username])),
    [users.data],
  );

  const show = (next: Partial<AuditView>) => setParams(auditViewParams({ ...view, ...next }));
  const filtered =
    auditViewParams({ ...view, page: 1, pageSize: DEFAULT_PAGE_SIZE, sort: DEFAULT_SORT }).toString() !== "";

  const state = queryStateMessage(audit, { loading: t("audit.loading"), failed: t("audit.loadFailed") });
  let list;
  if (state) {
    list = state;
  } else if (items.length === 0) {
    list = <p className="state-message">{filtered ? t("audit.emptyFiltered") : t("audit.empty")}</p>;
  } else {
    const sortedAscending = view.sort === "at";
    list = (
      <div className="table-frame">
        <table
          role="grid"
          aria-readonly="true"
          aria-labelledby={captionId}
          aria-busy={audit.isPlaceholderData || undefined}
          className="data-table data-table--select audit-table"
        >
          <caption id={captionId}>{t("audit.count", { count: audit.data?.total ?? 0 })}</caption>
          <thead>
            <tr>
              <th scope="col" aria-sort={sortedAscending ? "ascending" : "descending"}>
                <button
                  type="button"
                  className="sort-button"
                  onClick={() => show({ sort: sortedAscending ? "-at" : "at", page: 1 })}
                  title={sortedAscending ? t("audit.sort.toNewestFirst") : t("audit.sort.toOldestFirst")}
                >
                  {t("audit.columns.time")}
                  <span aria-hidden="true" className="sort-button__arrow">
                    {sortedAscending ? "▲" : "▼"}
                  </span>
                </button>
              </th>
              <th scope="col">{t("audit.columns.user")}</th>
              <th scope="col">{t("audit.columns.action")}</th>
              <th scope="col">{t("audit.columns.target")}</th>
              <th scope="col">{t("audit.columns.outcome")}</th>
              <th scope="col">{t("audit.columns.sourceAddress")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((event) => (
              <tr key={event.id} {...rowProps(event.id)} data-outcome={event.outcome}>
                <td className="nowrap">{formatTime(event.at)}</td>
                <td className="nowrap">{event.actor ?? t("audit.anonymous")}</td>
                <td className="nowrap">
                  <code>{event.action}</code>
                </td>
                <td>
                  <Target event={event} usernames={usernames} />
                </td>
                <td>
                  <Outcome outcome={event.outcome} errorCode={event.errorCode} />
                </td>
                <td>{event.sourceAddress ?? t("common.notApplicable")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <NodePage node={node}>
      <AuditFilterForm
        filters={view.filters}
        onApply={(filters) => show({ filters, page: 1 })}
        onClear={() => show({ filters: NO_FILTERS, page: 1 })}
      />
      {audit.isPlaceholderData && (
        <p role="status" className="busy">
          {t("audit.updating")}
        </p>
      )}
      {list}
      {audit.data && audit.data.total > 0 && (
        <Pager
          page={view.page}
          pageSize={view.pageSize}
          total={audit.data.total}
          onPage={(page) => show({ page })}
          onPageSize={(pageSize) => show({ pageSize, page: 1 })}
        />
      )}
      <AuditDetails event={selected} formatTime={formatTime} />
    </NodePage>
  );
}

function AuditFilterForm({
  filters,
  onApply,
  onClear,
}: {
  filters: AuditFilters;
  onApply: (filters: AuditFilters) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [values, setValues] = useState(filters);
  const [rangeError, setRangeError] = useState<string>();
  // The URL changed (Back, Clear, a link): show its filters. Not a remount, which would lose the focus.
  const filtersKey = JSON.stringify(filters);
  const [shownKey, setShownKey] = useState(filtersKey);
  if (shownKey !== filtersKey) {
    setShownKey(filtersKey);
    setValues(filters);
    setRangeError(undefined);
  }
  const set = (name: keyof AuditFilters) => (value: string) => setValues((v) => ({ ...v, [name]: value }));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = { ...values, actor: values.actor.trim(), action: values.action.trim() };
    if (next.from && next.to && next.from > next.to) {
      setRangeError(t("audit.filters.rangeInvalid"));
      document.getElementById(`${id}-to`)?.focus();
      return;
    }
    setRangeError(undefined);
    onApply(next);
  };

  return (
    <form role="search" aria-label={t("audit.filters.label")} className="filter-bar" onSubmit={onSubmit} noValidate>
      <FormField
        id={`${id}-actor`}
        label={t("audit.filters.user")}
        input={{
          type: "search",
          name: "actor",
          autoComplete: "off",
          value: values.actor,
          onChange: (e) => set("actor")(e.currentTarget.value),
        }}
      />
      <FormField
        id={`${id}-action`}
        label={t("audit.filters.action")}
        hint={t("audit.filters.actionHint")}
        input={{
          type: "search",
          name: "action",
          autoComplete: "off",
          spellCheck: false,
          value: values.action,
          onChange: (e) => set("action")(e.currentTarget.value),
        }}
      />
      <SelectField
        id={`${id}-outcome`}
        label={t("audit.filters.outcome")}
        select={{ name: "outcome", value: values.outcome, onChange: (e) => set("outcome")(e.currentTarget.value) }}
      >
        <option value="">{t("audit.filters.anyOutcome")}</option>
        <option value="success">{t("audit.outcome.success")}</option>
        <option value="failure">{t("audit.outcome.failure")}</option>
      </SelectField>
      <FormField
        id={`${id}-from`}
        label={t("audit.filters.from")}
        input={{ type: "date", name: "from", value: values.from, onChange: (e) => set("from")(e.currentTarget.value) }}
      />
      <FormField
        id={`${id}-to`}
        label={t("audit.filters.to")}
        error={rangeError}
        input={{ type: "date", name: "to", value: values.to, onChange: (e) => set("to")(e.currentTarget.value) }}
      />
      <div className="filter-bar__actions">
        <button type="submit" className="button button--primary">
          {t("audit.filters.apply")}
        </button>
        <button type="button" className="button" onClick={onClear}>
          {t("audit.filters.clear")}
        </button>
      </div>
    </form>
  );
}

function Pager({
  page,
  pageSize,
  total,
  onPage,
  onPageSize,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  onPageSize: (pageSize: number) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = Math.min(total, (page - 1) * pageSize + 1);
  const last = Math.min(total, page * pageSize);
  return (
    <nav aria-label={t("audit.paging.label")} className="pager">
      <span className="pager__range">{t("audit.paging.range", { first, last, total })}</span>
      <button type="button" className="button" disabled={page <= 1} onClick={() => onPage(Math.min(page - 1, pages))}>
        {t("audit.paging.previous")}
      </button>
      <span className="pager__page" aria-live="polite">
        {t("audit.paging.pageOf", { page, pages })}
      </span>
      <button type="button" className="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t("audit.paging.next")}
      </button>
      <label htmlFor={`${id}-size`} className="pager__size-label">
        {t("audit.paging.pageSize")}
      </label>
      <select id={`${id}-size`} value={pageSize} onChange={(e) => onPageSize(Number(e.currentTarget.value))}>
        {PAGE_SIZES.map((size) => (
          <option key={size} value={size}>
            {size}
          </option>
        ))}
      </select>
    </nav>
  );
}

/** A record's target: its type and the user's or token's name, when known (else its id). */
function Target({ event, usernames }: { event: AuditEventDto; usernames: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  if (!event.targetType) return <span className="muted">{t("common.notApplicable")}</span>;
  const known = event.targetType === "user" && event.targetId ? usernames.get(event.targetId) : undefined;
  const name = targetName(event) ?? known ?? event.targetId ?? "";
  return <>{t("audit.target", { type: targetTypeLabel(t, event.targetType), name })}</>;
}

function targetName(event: AuditEventDto): string | undefined {
  for (const value of [event.after, event.before, event.details]) {
    if (typeof value !== "object" || value === null) continue;
    const record = value as Record<string, unknown>;
    const name = event.targetType === "token" ? record.name : record.username;
    if (typeof name === "string") return name;
  }
  return undefined;
}

function targetTypeLabel(t: TFunction, type: string): string {
  switch (type) {
    case "user":
      return t("audit.targetTypes.user");
    case "token":
      return t("audit.targetTypes.token");
    default:
      return type;
  }
}

function Outcome({ outcome, errorCode }: { outcome: AuditOutcome; errorCode: string | null }) {
  const { t } = useTranslation();
  if (outcome === "success") return <span className="badge badge--success">{t("audit.outcome.success")}</span>;
  return (
    <span className="badge badge--failure">
      {errorCode ? t("audit.outcome.failureWithCode", { code: errorCode }) : t("audit.outcome.failure")}
    </span>
  );
}

const isRole = (role: string): role is RoleName => (ROLES as readonly string[]).includes(role);

/** The details pane below the list: everything the selected record holds, before/after/details as JSON. */
function AuditDetails({
  event,
  formatTime,
}: {
  event: AuditEventDto | undefined;
  formatTime: (iso: string) => string;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const none = t("common.notApplicable");
  const authMethod = (method: AuditEventDto["authMethod"]) => {
    switch (method) {
      case "session":
        return t("audit.authMethods.session");
      case "token":
        return t("audit.authMethods.token");
      case "anonymous":
        return t("audit.authMethods.anonymous");
    }
  };
  const json = (label: string, value: unknown) =>
    value === null || value === undefined ? null : (
      <div className="details-json">
        <h3>{label}</h3>
        <pre>{JSON.stringify(value, null, 2)}</pre>
      </div>
    );

  return (
    <section className="details-pane" aria-labelledby={headingId}>
      <h2 id={headingId} className="details-pane__title">
        {event ? t("audit.details.titleOf", { action: event.action }) : t("audit.details.title")}
      </h2>
      {event ? (
        <>
          <dl className="details-list">
            <dt>{t("audit.columns.time")}</dt>
            <dd>{formatTime(event.at)}</dd>
            <dt>{t("audit.columns.user")}</dt>
            <dd>{event.actor ?? t("audit.anonymous")}</dd>
            <dt>{t("audit.details.role")}</dt>
            <dd>
              {event.actorRole ? (isRole(event.actorRole) ? roleLabel(t, event.actorRole) : event.actorRole) : none}
            </dd>
            <dt>{t("audit.details.authMethod")}</dt>
            <dd>{authMethod(event.authMethod)}</dd>
            <dt>{t("audit.columns.action")}</dt>
            <dd>
              <code>{event.action}</code>
            </dd>
            <dt>{t("audit.details.targetType")}</dt>
            <dd>{event.targetType ?? none}</dd>
            <dt>{t("audit.details.targetId")}</dt>
            <dd>{event.targetId ? <code>{event.targetId}</code> : none}</dd>
            <dt>{t("audit.columns.outcome")}</dt>
            <dd>
              <Outcome outcome={event.outcome} errorCode={event.errorCode} />
            </dd>
            <dt>{t("audit.columns.sourceAddress")}</dt>
            <dd>{event.sourceAddress ?? none}</dd>
            <dt>{t("audit.details.requestId")}</dt>
            <dd>{event.requestId ? <code>{event.requestId}</code> : none}</dd>
          </dl>
          {json(t("audit.details.before"), event.before)}
          {json(t("audit.details.after"), event.after)}
          {json(t("audit.details.details"), event.details)}
        </>
      ) : (
        <p className="muted">{t("audit.details.none")}</p>
      )}
    </section>
  );
}
