// Software Library › Update Packages: a disconnected top-level site's catalog, as WSUS's `wsusutil export` and
// `wsusutil import` move it (domain.md §5) — but in the console. Export: any site's catalog as a package file, a
// download that streams. Import (only while the top-level site's synchronization source is "Do not synchronize…"):
// upload a package with progress; the server verifies it before anything is applied and says what it holds, or what
// is wrong with it; Apply (confirmed) runs it like a synchronization, shown live, with a link to the run.
import type { SiteNode, SupSettingsDto, UpdatePackageDto } from "@syncpoint/contracts";
import type { TFunction } from "i18next";
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ApiError } from "../../api/client.ts";
import { useSupSettings } from "../../api/settings.ts";
import { useSites } from "../../api/sites.ts";
import { useSyncRun } from "../../api/sync.ts";
import {
  updatePackageDownloadUrl,
  useApplyUpdatePackage,
  useRefreshUpdatePackages,
  useRemoveUpdatePackage,
  useUpdatePackages,
  useUploadUpdatePackage,
  type UploadProgress,
} from "../../api/update-packages.ts";
import { ActionButton, ActionReasons } from "../../components/ActionBar.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { ErrorText } from "../../components/ErrorText.tsx";
import { SelectField } from "../../components/FormField.tsx";
import { queryStateMessage } from "../../components/LoadError.tsx";
import { Pager } from "../../components/Pager.tsx";
import { useByteFormat, useDateTimeFormat, useListFormat, useNumberFormat } from "../../i18n/format.ts";
import { errorCodeMeaning, syncStateLabel } from "../../i18n/sync-labels.ts";
import { isActive, SyncProgress } from "../monitoring/SyncProgress.tsx";
import { administration, nodesOf, syncRunPath } from "../definitions.ts";
import { NodePage, type NodePageProps } from "../NodePage.tsx";

const PAGE_SIZE = 20;
/** Administration › Sites, where the Software Update Point Component Properties (the synchronization source) are. */
const SITES_PATH = nodesOf(administration).find((n) => n.id === "administration.sites")?.path ?? administration.path;

/** The top-level site and whether it takes packages: its code, its catalog version, its synchronization source. */
interface TopLevel {
  code: string;
  catalogVersion: number;
  disconnected: boolean;
}

function flatten(nodes: readonly SiteNode[]): SiteNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children)]);
}

function topLevelOf(sites: readonly SiteNode[], settings: SupSettingsDto | undefined): TopLevel | undefined {
  const root = sites.find((site) => site.parentCode === null);
  if (!root || !settings) return undefined;
  return {
    code: root.code,
    catalogVersion: root.sups[0]?.catalogVersion ?? 0,
    disconnected: settings.syncSource === "disconnected",
  };
}

export default function UpdatePackagesPage({ node }: NodePageProps) {
  const { t } = useTranslation();
  const sites = useSites();
  const settings = useSupSettings();
  const [verified, setVerified] = useState<UpdatePackageDto | null>(null);
  const [confirming, setConfirming] = useState<UpdatePackageDto | null>(null);
  const [applying, setApplying] = useState<{ runId: string; pkg: UpdatePackageDto } | null>(null);
  const apply = useApplyUpdatePackage();
  const tree = sites.data?.items ?? [];
  const top = topLevelOf(tree, settings.data);

  const state =
    queryStateMessage(sites, { loading: t("updatePackages.loading"), failed: t("updatePackages.loadFailed") }) ??
    queryStateMessage(settings, { loading: t("updatePackages.loading"), failed: t("updatePackages.loadFailed") });

  const startApply = (pkg: UpdatePackageDto) => {
    apply.reset();
    setConfirming(pkg);
  };

  return (
    <NodePage node={node}>
      <p className="muted">{t("updatePackages.intro")}</p>
      {state ?? (
        <>
          <ExportSection sites={tree} />
          <ImportSection
            top={top}
            verified={verified}
            onVerified={(pkg) => {
              setVerified(pkg);
              setApplying(null);
            }}
            onApply={startApply}
          />
          {applying && <ApplyOutcome runId={applying.runId} pkg={applying.pkg} />}
          <PackageList top={top} onApply={startApply} />
        </>
      )}
      {confirming && top && (
        <ConfirmDialog
          title={t("updatePackages.apply.title")}
          message={
            <>
              <p>
                {t("updatePackages.apply.message", {
                  site: top.code,
                  file: confirming.fileName,
                  version: confirming.manifest.catalogVersion,
                  source: confirming.manifest.source.siteCode,
                })}
              </p>
              <p className="muted">{t("updatePackages.apply.removes")}</p>
            </>
          }
          confirmLabel={t("updatePackages.apply.confirm")}
          permission="updates.import"
          busy={apply.isPending}
          error={apply.error}
          onConfirm={() =>
            apply.mutate(confirming.id, {
              onSuccess: ({ runId }) => {
                setApplying({ runId, pkg: confirming });
                setConfirming(null);
                // Its run is shown now; the package itself is in the list below.
                setVerified(null);
              },
            })
          }
          onClose={() => setConfirming(null)}
        />
      )}
    </NodePage>
  );
}

// ---------------------------------------------------------------- export

function ExportSection({ sites }: { sites: readonly SiteNode[] }) {
  const { t } = useTranslation();
  const id = useId();
  const all = useMemo(() => flatten(sites), [sites]);
  const [code, setCode] = useState(() => all.find((s) => s.parentCode === null)?.code ?? all[0]?.code ?? "");
  const site = all.find((s) => s.code === code);
  const version = site?.sups[0]?.catalogVersion ?? 0;
  return (
    <section aria-labelledby={`${id}-heading`} className="form-section">
      <h2 id={`${id}-heading`} className="section-title">
        {t("updatePackages.export.title")}
      </h2>
      <p className="muted">{t("updatePackages.export.explanation")}</p>
      {all.length === 0 ? (
        <p className="state-message">{t("updatePackages.export.noSites")}</p>
      ) : (
        <div className="filter-bar">
          <SelectField
            id={`${id}-site`}
            label={t("updatePackages.export.site")}
            hint={version > 0 ? t("updatePackages.export.version", { version }) : undefined}
            select={{ value: code, onChange: (e) => setCode(e.currentTarget.value) }}
          >
            {all.map((s) => (
              <option key={s.code} value={s.code}>
                {t("updatePackages.export.siteOption", { code: s.code, name: s.name })}
              </option>
            ))}
          </SelectField>
          <div className="filter-bar__actions">
            {version > 0 ? (
              <a className="button button--primary" href={updatePackageDownloadUrl(code)} download>
                {t("updatePackages.export.download")}
              </a>
            ) : (
              <ActionButton
                permission="read"
                variant="primary"
                unavailableReason={t("updatePackages.export.notSynced", { site: code })}
              >
                {t("updatePackages.export.download")}
              </ActionButton>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- import

function notDisconnectedReason(t: TFunction, top: TopLevel | undefined): string | undefined {
  if (!top) return t("updatePackages.import.noTopLevel");
  return top.disconnected ? undefined : t("updatePackages.import.notDisconnected", { site: top.code });
}

function ImportSection({
  top,
  verified,
  onVerified,
  onApply,
}: {
  top: TopLevel | undefined;
  verified: UpdatePackageDto | null;
  onVerified: (pkg: UpdatePackageDto) => void;
  onApply: (pkg: UpdatePackageDto) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const formatBytes = useByteFormat();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const upload = useUploadUpdatePackage();
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  const blocked = notDisconnectedReason(t, top);
  const canceled = upload.error instanceof DOMException && upload.error.name === "AbortError";

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file || blocked) return;
    abort.current = new AbortController();
    setProgress({ sent: 0, total: file.size });
    upload.mutate(
      { file, onProgress: setProgress, signal: abort.current.signal },
      {
        onSuccess: (pkg) => onVerified(pkg),
        onSettled: () => setProgress(null),
      },
    );
  };
  const percent = progress && progress.total > 0 ? Math.floor((progress.sent / progress.total) * 100) : 0;
  const verifying = upload.isPending && progress !== null && progress.sent >= progress.total;

  return (
    <section aria-labelledby={`${id}-heading`} className="form-section">
      <h2 id={`${id}-heading`} className="section-title">
        {t("updatePackages.import.title")}
      </h2>
      <p className="muted">{t("updatePackages.import.explanation")}</p>
      {top && !top.disconnected && (
        <div role="note" className="message message--warning">
          <p>{t("updatePackages.import.notDisconnected", { site: top.code })}</p>
          <Link to={SITES_PATH}>{t("updatePackages.import.openSites")}</Link>
        </div>
      )}
      <form className="filter-bar" onSubmit={onSubmit} aria-busy={upload.isPending}>
        <div className="form__field">
          <label htmlFor={`${id}-file`}>{t("updatePackages.import.file")}</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".gz,application/gzip"
            disabled={upload.isPending || !!blocked}
            aria-describedby={`${id}-file-hint`}
            onChange={(e) => {
              setFile(e.currentTarget.files?.[0] ?? null);
              upload.reset();
            }}
          />
          <p id={`${id}-file-hint`} className="form__hint">
            {t("updatePackages.import.fileHint")}
          </p>
        </div>
        <div className="filter-bar__actions">
          <ActionButton
            type="submit"
            permission="updates.import"
            variant="primary"
            unavailableReason={
              blocked ??
              (upload.isPending
                ? t("updatePackages.import.busy")
                : !file
                  ? t("updatePackages.import.chooseFirst")
                  : undefined)
            }
          >
            {t("updatePackages.import.upload")}
          </ActionButton>
          {upload.isPending && (
            <button type="button" className="button" onClick={() => abort.current?.abort()}>
              {t("updatePackages.import.cancel")}
            </button>
          )}
        </div>
      </form>
      {upload.isPending && progress && (
        <div className="sync-progress">
          <span className="sync-progress__phase" role="status">
            {verifying ? t("updatePackages.import.verifying") : t("updatePackages.import.uploading")}
          </span>
          <div
            role="progressbar"
            aria-label={t("updatePackages.import.progress")}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            className="progress-bar"
          >
            <div className="progress-bar__fill" style={{ width: `${percent}%` }} />
          </div>
          <span className="sync-progress__details">
            {t("updatePackages.import.sent", { sent: formatBytes(progress.sent), total: formatBytes(progress.total) })}
          </span>
        </div>
      )}
      {canceled && <p role="status">{t("updatePackages.import.canceled")}</p>}
      {upload.isError && !canceled && <UploadRefusal error={upload.error} />}
      {verified && !upload.isPending && !upload.isError && (
        <VerifiedPackage pkg={verified} top={top} onApply={() => onApply(verified)} />
      )}
    </section>
  );
}

/** Why an upload was refused: the code's meaning in the user's language, the server's words, and what is missing. */
function UploadRefusal({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const formatList = useListFormat();
  const details =
    error instanceof ApiError && error.code === "PACKAGE_FILTER_MISMATCH" ? missingOf(error.details) : undefined;
  return (
    <div role="alert" className="message message--error">
      <p>{t("updatePackages.import.refused")}</p>
      <p>
        <ErrorText error={error} />
      </p>
      {details && (
        <ul className="plain-list">
          {details.products.length > 0 && (
            <li>{t("updatePackages.import.missingProducts", { names: formatList(details.products) })}</li>
          )}
          {details.classifications.length > 0 && (
            <li>{t("updatePackages.import.missingClassifications", { names: formatList(details.classifications) })}</li>
          )}
          {details.languages.length > 0 && (
            <li>{t("updatePackages.import.missingLanguages", { names: formatList(details.languages) })}</li>
          )}
        </ul>
      )}
    </div>
  );
}

function missingOf(details: unknown): { products: string[]; classifications: string[]; languages: string[] } {
  const record = (details ?? {}) as Record<string, unknown>;
  const titles = (value: unknown) =>
    Array.isArray(value)
      ? value.map((v) =>
          typeof v === "object" && v && "title" in v ? String((v as { title: unknown }).title) : String(v),
        )
      : [];
  return {
    products: titles(record.missingProducts),
    classifications: titles(record.missingClassifications),
    languages: titles(record.missingLanguages),
  };
}

function applyReason(t: TFunction, top: TopLevel | undefined, pkg: UpdatePackageDto): string | undefined {
  const blocked = notDisconnectedReason(t, top);
  if (blocked) return blocked;
  if (top && pkg.manifest.catalogVersion < top.catalogVersion)
    return t("updatePackages.apply.older", { version: pkg.manifest.catalogVersion, current: top.catalogVersion });
  if (pkg.lastRun && isActive(pkg.lastRun.state as "queued")) return t("updatePackages.apply.running");
  return undefined;
}

/** What the verification found: the manifest in words, then Apply. */
function VerifiedPackage({
  pkg,
  top,
  onApply,
}: {
  pkg: UpdatePackageDto;
  top: TopLevel | undefined;
  onApply: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <section aria-labelledby={`${id}-heading`} className="import-outcome">
      <p id={`${id}-heading`} role="status" className="notice">
        {t("updatePackages.verified.title", { file: pkg.fileName })}
      </p>
      <PackageSummary pkg={pkg} />
      <ActionReasons>
        <ActionButton
          permission="updates.import"
          variant="primary"
          unavailableReason={applyReason(t, top, pkg)}
          onClick={onApply}
        >
          {t("updatePackages.apply.action")}
        </ActionButton>
      </ActionReasons>
    </section>
  );
}

function PackageSummary({ pkg }: { pkg: UpdatePackageDto }) {
  const { t } = useTranslation();
  const formatTime = useDateTimeFormat();
  const formatNumber = useNumberFormat();
  const formatBytes = useByteFormat();
  const formatList = useListFormat();
  const m = pkg.manifest;
  const names = (refs: { title: string }[]) =>
    refs.length > 0 ? formatList(refs.map((r) => r.title)) : t("common.notApplicable");
  return (
    <dl className="details-list">
      <dt>{t("updatePackages.summary.catalogVersion")}</dt>
      <dd>{formatNumber(m.catalogVersion)}</dd>
      <dt>{t("updatePackages.summary.source")}</dt>
      <dd>{t("updatePackages.summary.sourceValue", { site: m.source.siteCode, server: m.source.serverName })}</dd>
      <dt>{t("updatePackages.summary.created")}</dt>
      <dd>{formatTime(m.createdAt)}</dd>
      <dt>{t("updatePackages.summary.updates")}</dt>
      <dd>
        {t("updatePackages.summary.updatesValue", {
          updates: formatNumber(m.counts.updates),
          categories: formatNumber(m.counts.categories),
          imported: formatNumber(m.counts.imported),
        })}
      </dd>
      <dt>{t("updatePackages.summary.products")}</dt>
      <dd>{names(m.filter.products)}</dd>
      <dt>{t("updatePackages.summary.classifications")}</dt>
      <dd>{names(m.filter.classifications)}</dd>
      <dt>{t("updatePackages.summary.languages")}</dt>
      <dd>{m.languages.length > 0 ? formatList(m.languages) : t("updatePackages.summary.allLanguages")}</dd>
      <dt>{t("updatePackages.summary.file")}</dt>
      <dd>{t("updatePackages.summary.fileValue", { file: pkg.fileName, size: formatBytes(pkg.sizeBytes) })}</dd>
      <dt>{t("updatePackages.summary.checksum")}</dt>
      <dd>
        <code>{pkg.sha256}</code>
      </dd>
    </dl>
  );
}

// ---------------------------------------------------------------- apply

/** The run applying a package, live, and what came of it. */
function ApplyOutcome({ runId, pkg }: { runId: string; pkg: UpdatePackageDto }) {
  const { t } = useTranslation();
  const run = useSyncRun(runId);
  const refresh = useRefreshUpdatePackages();
  const ended = run.data !== undefined && !isActive(run.data.state);
  const endedOnce = useRef(false);
  useEffect(() => {
    if (ended && !endedOnce.current) {
      endedOnce.current = true;
      void refresh();
    }
  }, [ended, refresh]);
  const data = run.data;
  let text = t("updatePackages.apply.started", { file: pkg.fileName });
  if (data && ended) {
    text =
      data.state === "succeeded"
        ? t("updatePackages.apply.succeeded", { version: data.catalogVersionAfter ?? pkg.manifest.catalogVersion })
        : t("updatePackages.apply.ended", { state: syncStateLabel(t, data.state) });
  }
  return (
    <section className="import-outcome" aria-label={t("updatePackages.apply.label")}>
      <p role="status" className={data?.state === "failed" ? "message message--error" : "notice"}>
        {text} <Link to={syncRunPath(runId)}>{t("updatePackages.apply.viewRun")}</Link>
      </p>
      {data?.state === "failed" && data.errorCode && (
        <p className="muted">
          {errorCodeMeaning(t, data.errorCode) ?? data.errorCode} <span lang="en">{data.errorMessage}</span>
        </p>
      )}
      {data && <SyncProgress progress={data} label={t("updatePackages.apply.progress")} />}
    </section>
  );
}

// ---------------------------------------------------------------- list

function stateText(t: TFunction, pkg: UpdatePackageDto): string {
  if (pkg.lastRun && isActive(pkg.lastRun.state as "queued")) return t("updatePackages.state.applying");
  switch (pkg.state) {
    case "applied":
      return t("updatePackages.state.applied");
    case "verified":
      return t("updatePackages.state.verified");
    default:
      return pkg.state;
  }
}

function PackageList({ top, onApply }: { top: TopLevel | undefined; onApply: (pkg: UpdatePackageDto) => void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [page, setPage] = useState(1);
  const list = useUpdatePackages(page, PAGE_SIZE);
  const remove = useRemoveUpdatePackage();
  const [removing, setRemoving] = useState<UpdatePackageDto | null>(null);
  const formatTime = useDateTimeFormat();
  const formatBytes = useByteFormat();
  const state = queryStateMessage(list, {
    loading: t("updatePackages.list.loading"),
    failed: t("updatePackages.list.failed"),
  });
  const items = list.data?.items ?? [];
  return (
    <section aria-labelledby={headingId} className="form-section">
      <h2 id={headingId} className="section-title">
        {t("updatePackages.list.title")}
      </h2>
      {state ??
        (items.length === 0 ? (
          <p className="state-message">{t("updatePackages.list.empty")}</p>
        ) : (
          <ActionReasons>
            <div className="table-frame">
              <table aria-labelledby={headingId} className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{t("updatePackages.columns.file")}</th>
                    <th scope="col">{t("updatePackages.columns.catalogVersion")}</th>
                    <th scope="col">{t("updatePackages.columns.created")}</th>
                    <th scope="col">{t("updatePackages.columns.uploaded")}</th>
                    <th scope="col">{t("updatePackages.columns.state")}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t("updatePackages.columns.actions")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((pkg) => (
                    <tr key={pkg.id} data-package-id={pkg.id} data-state={pkg.state}>
                      <th scope="row">
                        {pkg.fileName}
                        <span className="muted"> · {formatBytes(pkg.sizeBytes)}</span>
                      </th>
                      <td>{pkg.manifest.catalogVersion}</td>
                      <td>
                        {formatTime(pkg.manifest.createdAt)}
                        <span className="muted">
                          {" · "}
                          {t("updatePackages.list.from", { site: pkg.manifest.source.siteCode })}
                        </span>
                      </td>
                      <td>
                        {formatTime(pkg.uploadedAt)}
                        {pkg.uploadedBy && <span className="muted"> · {pkg.uploadedBy}</span>}
                      </td>
                      <td>
                        {stateText(t, pkg)}
                        {pkg.lastRun && (
                          <Link to={syncRunPath(pkg.lastRun.id)} className="muted cell-line">
                            {t("updatePackages.list.lastRun", {
                              state: syncStateLabel(t, pkg.lastRun.state as "queued"),
                            })}
                          </Link>
                        )}
                      </td>
                      <td className="nowrap">
                        <ActionButton
                          permission="updates.import"
                          unavailableReason={applyReason(t, top, pkg)}
                          aria-label={t("updatePackages.list.applyNamed", { file: pkg.fileName })}
                          onClick={() => onApply(pkg)}
                        >
                          {t("updatePackages.apply.action")}
                        </ActionButton>{" "}
                        <ActionButton
                          permission="updates.import"
                          aria-label={t("updatePackages.list.removeNamed", { file: pkg.fileName })}
                          onClick={() => {
                            remove.reset();
                            setRemoving(pkg);
                          }}
                        >
                          {t("updatePackages.list.remove")}
                        </ActionButton>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              label={t("updatePackages.list.pages")}
              page={page}
              pageSize={PAGE_SIZE}
              total={list.data?.total ?? 0}
              onPage={setPage}
            />
          </ActionReasons>
        ))}
      {removing && (
        <ConfirmDialog
          title={t("updatePackages.list.removeTitle")}
          message={t("updatePackages.list.removeMessage", { file: removing.fileName })}
          confirmLabel={t("updatePackages.list.remove")}
          permission="updates.import"
          destructive
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(removing.id, { onSuccess: () => setRemoving(null) })}
          onClose={() => setRemoving(null)}
        />
      )}
    </section>
  );
}
