import type { RelatedUpdate, SoftwareUpdateDetails, SoftwareUpdateItem } from "@syncpoint/contracts";
import { useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { useSoftwareUpdateDetails } from "../../api/software-updates.ts";
import { queryStateMessage } from "../../components/LoadError.tsx";
import { useByteFormat, useDateFormat } from "../../i18n/format.ts";
import { cveUrl, kbNumber, kbUrl } from "./software-updates-view.ts";

export function severityLabel(t: TFunction, severity: string | null): string {
  switch (severity) {
    case "Critical":
      return t("softwareUpdates.severity.critical");
    case "Important":
      return t("softwareUpdates.severity.important");
    case "Moderate":
      return t("softwareUpdates.severity.moderate");
    case "Low":
      return t("softwareUpdates.severity.low");
    case null:
    case "None":
      return t("softwareUpdates.severity.none");
    default:
      return severity;
  }
}

/**
 * The details pane below the list, as in the ConfigMgr console: the Summary, Supersedence, bundled updates,
 * revisions and files of the selected update (`GET /api/software-updates/:id`). An update named under Supersedence
 * or Bundled updates that is in the catalog opens in the pane with `onOpen`.
 */
export function UpdateDetailsPane({
  updateId,
  listed,
  onOpen,
}: {
  /** The selected update, or undefined when none is. */
  updateId: string | undefined;
  /** The list's row for it, when it is on the page shown: its title heads the pane while the details load. */
  listed: SoftwareUpdateItem | undefined;
  onOpen: (updateId: string) => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const details = useSoftwareUpdateDetails(updateId);
  const title = details.data?.title ?? listed?.title ?? t("softwareUpdates.details.title");

  let body: ReactNode;
  if (updateId === undefined) {
    body = <p className="muted">{t("softwareUpdates.details.none")}</p>;
  } else {
    body = queryStateMessage(details, {
      loading: t("softwareUpdates.details.loading"),
      failed: t("softwareUpdates.details.loadFailed"),
    });
    if (!body && details.data) body = <DetailsBody update={details.data} onOpen={onOpen} />;
  }

  return (
    <section className="details-pane update-details" aria-labelledby={headingId}>
      <h2 id={headingId} className="details-pane__title">
        {updateId === undefined ? t("softwareUpdates.details.title") : title}
      </h2>
      {body}
    </section>
  );
}

function DetailsBody({ update, onOpen }: { update: SoftwareUpdateDetails; onOpen: (updateId: string) => void }) {
  const { t } = useTranslation();
  const formatBytes = useByteFormat();
  const formatDate = useDateFormat();
  const none = <span className="muted">{t("common.notApplicable")}</span>;
  const links = (values: string[], href: (v: string) => string, label: (v: string) => string) =>
    values.length === 0
      ? none
      : values.map((value, index) => (
          <span key={value}>
            {index > 0 && ", "}
            <a href={href(value)} target="_blank" rel="noreferrer">
              {label(value)}
            </a>
          </span>
        ));

  return (
    <div className="update-details__sections">
      <DetailsSection title={t("softwareUpdates.details.summary")}>
        {update.description && <p className="update-details__description">{update.description}</p>}
        <dl className="details-list">
          <dt>{t("softwareUpdates.details.updateId")}</dt>
          <dd>
            <code>{update.updateId}</code>
          </dd>
          <dt>{t("softwareUpdates.details.revision")}</dt>
          <dd>{update.revisionNumber}</dd>
          <dt>{t("softwareUpdates.columns.articleId")}</dt>
          <dd>{links(update.kbArticleIds, kbUrl, (kb) => `KB${kbNumber(kb)}`)}</dd>
          <dt>{t("softwareUpdates.details.bulletins")}</dt>
          <dd>{update.bulletinIds.length === 0 ? none : update.bulletinIds.join(", ")}</dd>
          <dt>{t("softwareUpdates.details.cves")}</dt>
          <dd>{links(update.cveIds, cveUrl, (cve) => cve)}</dd>
          <dt>{t("softwareUpdates.columns.severity")}</dt>
          <dd>{severityLabel(t, update.severity)}</dd>
          <dt>{t("softwareUpdates.columns.classification")}</dt>
          <dd>{update.classifications.map((c) => c.title).join(", ") || none}</dd>
          <dt>{t("softwareUpdates.details.products")}</dt>
          <dd>
            {update.products.length === 0 ? (
              none
            ) : (
              <ul className="plain-list">
                {update.products.map((product) => (
                  <li key={product.id}>{product.title}</li>
                ))}
              </ul>
            )}
          </dd>
          <dt>{t("softwareUpdates.columns.releaseDate")}</dt>
          <dd>{formatDate(update.releaseDate)}</dd>
          <dt>{t("softwareUpdates.details.maxRunTime")}</dt>
          <dd>
            {update.maxRunTimeMinutes === null
              ? none
              : t("softwareUpdates.details.minutes", { count: update.maxRunTimeMinutes })}
          </dd>
          <dt>{t("softwareUpdates.columns.expired")}</dt>
          <dd>{update.isExpired ? t("common.yes") : t("common.no")}</dd>
          <dt>{t("softwareUpdates.columns.superseded")}</dt>
          <dd>{update.isSuperseded ? t("common.yes") : t("common.no")}</dd>
        </dl>
      </DetailsSection>

      <DetailsSection title={t("softwareUpdates.details.supersedence")}>
        <h4 className="update-details__subheading">{t("softwareUpdates.details.supersedes")}</h4>
        {update.supersedes.length === 0 ? (
          <p className="muted">{t("softwareUpdates.details.supersedesNone")}</p>
        ) : (
          <ul className="plain-list update-details__related">
            {update.supersedes.map((related) => (
              <li key={related.updateId}>
                <RelatedLink related={related} onOpen={onOpen} />
              </li>
            ))}
          </ul>
        )}
        <h4 className="update-details__subheading">{t("softwareUpdates.details.supersededBy")}</h4>
        {update.supersededBy.length === 0 ? (
          <p className="muted">{t("softwareUpdates.details.supersededByNone")}</p>
        ) : (
          <ul className="plain-list update-details__related">
            {update.supersededBy.map((related) => (
              <li key={related.updateId}>
                <RelatedLink related={{ ...related, inCatalog: true }} onOpen={onOpen} />{" "}
                <span className="muted">{formatDate(related.releaseDate)}</span>
              </li>
            ))}
          </ul>
        )}
      </DetailsSection>

      <DetailsSection title={t("softwareUpdates.details.bundled")}>
        {update.bundledUpdates.length === 0 ? (
          <p className="muted">{t("softwareUpdates.details.bundledNone")}</p>
        ) : (
          <ul className="plain-list update-details__related">
            {update.bundledUpdates.map((related) => (
              <li key={related.updateId}>
                <RelatedLink related={related} onOpen={onOpen} />{" "}
                <span className="muted">
                  {t("softwareUpdates.details.revisionNumber", { revision: related.revisionNumber })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </DetailsSection>

      <DetailsSection title={t("softwareUpdates.details.revisions")}>
        <table className="data-table update-details__table" aria-label={t("softwareUpdates.details.revisions")}>
          <thead>
            <tr>
              <th scope="col">{t("softwareUpdates.details.revision")}</th>
              <th scope="col">{t("softwareUpdates.columns.title")}</th>
              <th scope="col">{t("softwareUpdates.details.storedAt")}</th>
              <th scope="col">{t("softwareUpdates.details.current")}</th>
            </tr>
          </thead>
          <tbody>
            {update.revisions.map((revision) => (
              <tr key={revision.revisionNumber}>
                <td>{revision.revisionNumber}</td>
                <td>{revision.title}</td>
                <td className="nowrap">{formatDate(revision.storedAt)}</td>
                <td>{revision.isCurrent ? t("common.yes") : t("common.no")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </DetailsSection>

      <DetailsSection title={t("softwareUpdates.details.files")}>
        {update.files.length === 0 ? (
          <p className="muted">{t("softwareUpdates.details.filesNone")}</p>
        ) : (
          <table className="data-table update-details__table" aria-label={t("softwareUpdates.details.files")}>
            <thead>
              <tr>
                <th scope="col">{t("softwareUpdates.details.fileName")}</th>
                <th scope="col">{t("softwareUpdates.details.size")}</th>
                <th scope="col">{t("softwareUpdates.details.sha1")}</th>
                <th scope="col">{t("softwareUpdates.details.sha256")}</th>
              </tr>
            </thead>
            <tbody>
              {update.files.map((file) => (
                <tr key={`${file.fileName}-${file.sha1Digest}`}>
                  <td className="update-details__file">{file.fileName}</td>
                  <td className="nowrap">{formatBytes(file.size)}</td>
                  <td>
                    <code>{file.sha1Digest}</code>
                  </td>
                  <td>{file.sha256Digest ? <code>{file.sha256Digest}</code> : t("common.notApplicable")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </DetailsSection>
    </div>
  );
}

function DetailsSection({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="update-details__section" aria-labelledby={id}>
      <h3 id={id} className="update-details__heading">
        {title}
      </h3>
      {children}
    </section>
  );
}

/** A related update: a button that opens it when it is in the catalog, else its title (or id) as text. */
function RelatedLink({ related, onOpen }: { related: RelatedUpdate; onOpen: (updateId: string) => void }) {
  const { t } = useTranslation();
  const label = related.title ?? related.updateId;
  if (!related.inCatalog) {
    return (
      <span>
        {label} <span className="muted">{t("softwareUpdates.details.notInCatalog")}</span>
      </span>
    );
  }
  return (
    <button type="button" className="link-button" onClick={() => onOpen(related.updateId)}>
      {label}
    </button>
  );
}
