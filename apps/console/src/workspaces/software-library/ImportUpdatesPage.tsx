// Software Library › Import Updates, as WSUS's Import Updates does it with the Microsoft Update Catalog: search by KB
// number, title words or update ID (catalog-only updates included), add results to a basket, import. The import runs
// as a synchronization of the top-level site (trigger `import`), shown live; each basket update ends imported or
// failed with the reason. A real upstream has no search (MS-WSUSSS has none): then updates are added by update ID.
import type { CatalogSearchItem, ImportedUpdateDto, ImportUpdatesResponse } from "@syncpoint/contracts";
import type { TFunction } from "i18next";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import {
  useCatalogSearch,
  useImportedUpdates,
  useImportUpdates,
  useRefreshImports,
  useRemoveImportedUpdate,
} from "../../api/catalog-import.ts";
import { ApiError } from "../../api/client.ts";
import { useSyncRun } from "../../api/sync.ts";
import { ActionBar, ActionButton, ActionReasons } from "../../components/ActionBar.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { ErrorText } from "../../components/ErrorText.tsx";
import { FormField } from "../../components/FormField.tsx";
import { queryStateMessage } from "../../components/LoadError.tsx";
import { Pager } from "../../components/Pager.tsx";
import { useDateFormat, useDateTimeFormat } from "../../i18n/format.ts";
import { errorCodeMeaning, syncStateLabel } from "../../i18n/sync-labels.ts";
import { isActive, SyncProgress } from "../monitoring/SyncProgress.tsx";
import { syncRunPath } from "../definitions.ts";
import { NodePage, type NodePageProps } from "../NodePage.tsx";
import {
  addToBasket,
  BASKET_LIMIT,
  loadBasket,
  parseIdentity,
  removeFromBasket,
  saveBasket,
  type BasketItem,
} from "./import-basket.ts";

const IMPORTED_PAGE_SIZE = 50;

export default function ImportUpdatesPage({ node }: NodePageProps) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const query = params.get("q") ?? "";
  const [basket, setBasket] = useState<BasketItem[]>(() => loadBasket());
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<{ response: ImportUpdatesResponse; ids: string[] } | null>(null);
  const importUpdates = useImportUpdates();

  useEffect(() => saveBasket(basket), [basket]);

  const search = useCatalogSearch(query);
  const searchUnavailable = search.error instanceof ApiError && search.error.code === "CATALOG_SEARCH_UNAVAILABLE";

  const add = (item: BasketItem) => setBasket((current) => addToBasket(current, item));
  const onImport = () => {
    const ids = basket.map((b) => b.updateId);
    importUpdates.mutate(
      { updates: basket.map((b) => ({ updateId: b.updateId, revisionNumber: b.revisionNumber, title: b.title })) },
      {
        onSuccess: (response) => {
          setOutcome({ response, ids });
          setBasket([]);
          setConfirming(false);
        },
      },
    );
  };

  return (
    <NodePage node={node}>
      <p className="muted">{t("importUpdates.intro")}</p>
      <SearchForm
        key={query}
        query={query}
        onSearch={(q) => setParams(q ? new URLSearchParams({ q }) : new URLSearchParams())}
      />
      {query && (
        <SearchResults query={query} search={search} basket={basket} onAdd={add} unavailable={searchUnavailable} />
      )}
      <ImportById open={searchUnavailable} basketFull={basket.length >= BASKET_LIMIT} onAdd={add} />
      <Basket
        basket={basket}
        onRemove={(id) => setBasket((current) => removeFromBasket(current, id))}
        onClear={() => setBasket([])}
        onImport={() => {
          importUpdates.reset();
          setConfirming(true);
        }}
      />
      {outcome && <ImportOutcome outcome={outcome} />}
      <ImportedUpdates />
      {confirming && (
        <ConfirmDialog
          title={t("importUpdates.confirm.title")}
          message={t("importUpdates.confirm.message", { count: basket.length })}
          confirmLabel={t("importUpdates.confirm.import")}
          permission="updates.import"
          busy={importUpdates.isPending}
          error={importUpdates.error}
          onConfirm={onImport}
          onClose={() => setConfirming(false)}
        />
      )}
    </NodePage>
  );
}

function SearchForm({ query, onSearch }: { query: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  // Keyed by the query (above), so that Back or a link to another search starts the field from it.
  const [text, setText] = useState(query);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSearch(text.trim());
  };
  return (
    <form role="search" aria-label={t("importUpdates.search.label")} className="filter-bar" onSubmit={onSubmit}>
      <FormField
        id={`${id}-q`}
        label={t("importUpdates.search.field")}
        hint={t("importUpdates.search.hint")}
        input={{ type: "search", value: text, maxLength: 200, onChange: (e) => setText(e.currentTarget.value) }}
      />
      <button type="submit" className="button button--primary" disabled={text.trim().length === 0}>
        {t("importUpdates.search.submit")}
      </button>
    </form>
  );
}

function hitStatus(t: TFunction, hit: CatalogSearchItem): string {
  if (hit.notImportableReason) return t("importUpdates.status.featureUpdate");
  if (hit.importState === "pending") return t("importUpdates.status.pending");
  if (hit.importState === "failed") return t("importUpdates.status.failed");
  if (hit.inCatalogRevision !== null)
    return hit.importState === "imported"
      ? t("importUpdates.status.imported", { revision: hit.inCatalogRevision })
      : t("importUpdates.status.inCatalog", { revision: hit.inCatalogRevision });
  if (hit.importState === "imported") return t("importUpdates.status.importedNotYetHere");
  return t("importUpdates.status.notInCatalog");
}

function SearchResults({
  query,
  search,
  basket,
  onAdd,
  unavailable,
}: {
  query: string;
  search: ReturnType<typeof useCatalogSearch>;
  basket: BasketItem[];
  onAdd: (item: BasketItem) => void;
  unavailable: boolean;
}) {
  const { t } = useTranslation();
  const formatDate = useDateFormat();
  const captionId = useId();
  if (unavailable) {
    return (
      <div role="alert" className="message message--warning">
        <p>{t("importUpdates.search.unavailable")}</p>
        <p className="muted">
          <ErrorText error={search.error} />
        </p>
      </div>
    );
  }
  const state = queryStateMessage(search, {
    loading: t("importUpdates.search.searching"),
    failed: t("importUpdates.search.failed"),
  });
  if (state) return <>{state}</>;
  const items = search.data?.items ?? [];
  if (items.length === 0) return <p className="state-message">{t("importUpdates.search.empty", { query })}</p>;
  const full = basket.length >= BASKET_LIMIT;
  return (
    <ActionReasons>
      <div className="table-frame">
        <table aria-labelledby={captionId} className="data-table import-results">
          <caption id={captionId}>{t("importUpdates.search.count", { count: items.length, query })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("importUpdates.columns.title")}</th>
              <th scope="col">{t("importUpdates.columns.kb")}</th>
              <th scope="col">{t("importUpdates.columns.classification")}</th>
              <th scope="col">{t("importUpdates.columns.products")}</th>
              <th scope="col">{t("importUpdates.columns.released")}</th>
              <th scope="col">{t("importUpdates.columns.status")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("importUpdates.columns.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((hit) => {
              const inBasket = basket.some((b) => b.updateId === hit.updateId);
              const unavailableReason = hit.notImportableReason
                ? t("errorCodes.FEATURE_UPDATE_NOT_IMPORTABLE")
                : inBasket
                  ? t("importUpdates.basket.alreadyIn")
                  : hit.importState === "pending"
                    ? t("importUpdates.status.pending")
                    : hit.importState === "imported"
                      ? t("importUpdates.basket.alreadyImported")
                      : full
                        ? t("importUpdates.basket.full", { count: BASKET_LIMIT })
                        : undefined;
              return (
                <tr key={hit.updateId} data-update-id={hit.updateId}>
                  <th scope="row">
                    {hit.title}
                    {hit.catalogOnly && <span className="badge">{t("importUpdates.catalogOnly")}</span>}
                  </th>
                  <td className="nowrap">{hit.kbArticleIds.map((kb) => `KB${kb}`).join(", ")}</td>
                  <td>{hit.classificationTitles.join(", ")}</td>
                  <td>{hit.productTitles.join(", ")}</td>
                  <td className="nowrap">{formatDate(hit.creationDate)}</td>
                  <td>{hitStatus(t, hit)}</td>
                  <td>
                    <ActionButton
                      permission="updates.import"
                      unavailableReason={unavailableReason}
                      aria-label={t("importUpdates.basket.addNamed", { title: hit.title })}
                      onClick={() =>
                        onAdd({
                          updateId: hit.updateId,
                          revisionNumber: hit.revisionNumber,
                          title: hit.title,
                          kb: hit.kbArticleIds[0] ?? null,
                        })
                      }
                    >
                      {t("importUpdates.basket.add")}
                    </ActionButton>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </ActionReasons>
  );
}

/** "Import by update ID": what works against any upstream, since GetUpdateData takes an update id and revision. */
function ImportById({
  open,
  basketFull,
  onAdd,
}: {
  open: boolean;
  basketFull: boolean;
  onAdd: (item: BasketItem) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [updateId, setUpdateId] = useState("");
  const [revision, setRevision] = useState("");
  const [error, setError] = useState<"updateId" | "revision" | null>(null);
  const details = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (open && details.current) details.current.open = true;
  }, [open]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = parseIdentity(updateId, revision);
    if ("error" in parsed) {
      setError(parsed.error);
      return;
    }
    setError(null);
    onAdd({ ...parsed, title: parsed.updateId, kb: null });
    setUpdateId("");
    setRevision("");
  };
  return (
    <details ref={details} className="import-by-id">
      <summary>{t("importUpdates.byId.title")}</summary>
      <p className="muted">{t("importUpdates.byId.explanation")}</p>
      <form className="form form--inline" onSubmit={onSubmit} noValidate>
        <FormField
          id={`${id}-id`}
          label={t("importUpdates.byId.updateId")}
          error={error === "updateId" ? t("importUpdates.byId.updateIdInvalid") : undefined}
          input={{ value: updateId, maxLength: 40, onChange: (e) => setUpdateId(e.currentTarget.value) }}
        />
        <FormField
          id={`${id}-rev`}
          label={t("importUpdates.byId.revision")}
          error={error === "revision" ? t("importUpdates.byId.revisionInvalid") : undefined}
          input={{
            value: revision,
            inputMode: "numeric",
            maxLength: 10,
            onChange: (e) => setRevision(e.currentTarget.value),
          }}
        />
        <ActionButton
          type="submit"
          permission="updates.import"
          unavailableReason={basketFull ? t("importUpdates.basket.full", { count: BASKET_LIMIT }) : undefined}
        >
          {t("importUpdates.basket.add")}
        </ActionButton>
      </form>
    </details>
  );
}

function Basket({
  basket,
  onRemove,
  onClear,
  onImport,
}: {
  basket: BasketItem[];
  onRemove: (updateId: string) => void;
  onClear: () => void;
  onImport: () => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="import-basket">
      <h2 id={headingId}>{t("importUpdates.basket.title", { count: basket.length })}</h2>
      {basket.length === 0 ? (
        <p className="state-message">{t("importUpdates.basket.empty")}</p>
      ) : (
        <ul className="import-basket__items">
          {basket.map((item) => (
            <li key={item.updateId}>
              <span>
                {item.title}
                {item.kb && <span className="muted">{` · KB${item.kb}`}</span>}
                <span className="muted"> · {t("importUpdates.revision", { revision: item.revisionNumber })}</span>
              </span>
              <button
                type="button"
                className="button"
                aria-label={t("importUpdates.basket.removeNamed", { title: item.title })}
                onClick={() => onRemove(item.updateId)}
              >
                {t("importUpdates.basket.remove")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ActionBar label={t("importUpdates.basket.actions")}>
        <ActionButton
          permission="updates.import"
          variant="primary"
          unavailableReason={basket.length === 0 ? t("importUpdates.basket.addFirst") : undefined}
          onClick={onImport}
        >
          {t("importUpdates.basket.import")}
        </ActionButton>
        <button type="button" className="button" disabled={basket.length === 0} onClick={onClear}>
          {t("importUpdates.basket.clear")}
        </button>
      </ActionBar>
    </section>
  );
}

/** The import under way: the run's live progress, then what became of each basket update. */
function ImportOutcome({ outcome }: { outcome: { response: ImportUpdatesResponse; ids: string[] } }) {
  const { t } = useTranslation();
  const { runId, activeRunId } = outcome.response;
  const run = useSyncRun(runId ?? activeRunId ?? "");
  const refresh = useRefreshImports();
  const ended = runId !== null && run.data !== undefined && !isActive(run.data.state);
  const endedOnce = useRef(false);
  useEffect(() => {
    if (ended && !endedOnce.current) {
      endedOnce.current = true;
      void refresh();
    }
  }, [ended, refresh]);
  const shownRunId = runId ?? activeRunId;
  return (
    <section className="import-outcome" aria-label={t("importUpdates.outcome.label")}>
      <p role="status" className="notice">
        {runId
          ? ended
            ? t("importUpdates.outcome.ended", { state: syncStateLabel(t, run.data!.state) })
            : t("importUpdates.outcome.started", { count: outcome.ids.length })
          : t("importUpdates.outcome.waiting", { count: outcome.ids.length })}{" "}
        {shownRunId && <Link to={syncRunPath(shownRunId)}>{t("importUpdates.outcome.viewRun")}</Link>}
      </p>
      {runId && run.data && <SyncProgress progress={run.data} label={t("importUpdates.outcome.progress")} />}
    </section>
  );
}

function reasonText(t: TFunction, item: ImportedUpdateDto): string {
  if (item.reason === "prerequisite") return t("importUpdates.reason.prerequisite", { id: item.requiredBy ?? "" });
  if (item.reason === "bundled") return t("importUpdates.reason.bundled", { id: item.requiredBy ?? "" });
  return t("importUpdates.reason.basket");
}

function stateText(t: TFunction, item: ImportedUpdateDto): string {
  if (item.state === "imported")
    return t("importUpdates.state.imported", { revision: item.importedRevision ?? item.revisionNumber });
  if (item.state === "failed") return t("importUpdates.state.failed");
  return t("importUpdates.state.pending");
}

/** Every imported update, newest first, with its result; Remove stops following one. */
function ImportedUpdates() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const list = useImportedUpdates(page, IMPORTED_PAGE_SIZE);
  const remove = useRemoveImportedUpdate();
  const [removing, setRemoving] = useState<ImportedUpdateDto | null>(null);
  const formatTime = useDateTimeFormat();
  const headingId = useId();
  const state = queryStateMessage(list, {
    loading: t("importUpdates.list.loading"),
    failed: t("importUpdates.list.failed"),
  });
  const items = list.data?.items ?? [];
  return (
    <section aria-labelledby={headingId} className="imported-updates">
      <h2 id={headingId}>{t("importUpdates.list.title")}</h2>
      {state ??
        (items.length === 0 ? (
          <p className="state-message">{t("importUpdates.list.empty")}</p>
        ) : (
          <ActionReasons>
            <div className="table-frame">
              <table aria-labelledby={headingId} className="data-table imported-updates__table">
                <thead>
                  <tr>
                    <th scope="col">{t("importUpdates.columns.title")}</th>
                    <th scope="col">{t("importUpdates.columns.kb")}</th>
                    <th scope="col">{t("importUpdates.columns.reason")}</th>
                    <th scope="col">{t("importUpdates.columns.result")}</th>
                    <th scope="col">{t("importUpdates.columns.requested")}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t("importUpdates.columns.actions")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={item.updateId} data-update-id={item.updateId} data-state={item.state}>
                      <th scope="row">{item.title}</th>
                      <td className="nowrap">{item.kbArticleIds.map((kb) => `KB${kb}`).join(", ")}</td>
                      <td>{reasonText(t, item)}</td>
                      <td>
                        <span className={`badge badge--import-${item.state}`}>{stateText(t, item)}</span>
                        {item.errorCode && (
                          <p className="muted">
                            {errorCodeMeaning(t, item.errorCode) ?? item.errorCode} {item.errorMessage}
                          </p>
                        )}
                        {item.runId && (
                          <Link to={syncRunPath(item.runId)} className="muted">
                            {" "}
                            {t("importUpdates.outcome.viewRun")}
                          </Link>
                        )}
                      </td>
                      <td className="nowrap">
                        {formatTime(item.requestedAt)}
                        {item.requestedBy && <span className="muted"> · {item.requestedBy}</span>}
                      </td>
                      <td>
                        <ActionButton
                          permission="updates.import"
                          aria-label={t("importUpdates.list.removeNamed", { title: item.title })}
                          onClick={() => {
                            remove.reset();
                            setRemoving(item);
                          }}
                        >
                          {t("importUpdates.list.remove")}
                        </ActionButton>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              label={t("importUpdates.list.pages")}
              page={page}
              pageSize={IMPORTED_PAGE_SIZE}
              total={list.data?.total ?? 0}
              onPage={setPage}
            />
          </ActionReasons>
        ))}
      {removing && (
        <ConfirmDialog
          title={t("importUpdates.list.removeTitle")}
          message={t("importUpdates.list.removeMessage", { title: removing.title })}
          confirmLabel={t("importUpdates.list.remove")}
          permission="updates.import"
          destructive
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(removing.updateId, { onSuccess: () => setRemoving(null) })}
          onClose={() => setRemoving(null)}
        />
      )}
    </section>
  );
}
