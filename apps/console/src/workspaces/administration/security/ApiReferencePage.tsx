import type { TFunction } from "i18next";
import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { OPENAPI_URL, useOpenApiDocument } from "../../../api/openapi.ts";
import { FormField } from "../../../components/FormField.tsx";
import { queryStateMessage } from "../../../components/LoadError.tsx";
import { roleLabel } from "../../../i18n/labels.ts";
import { NodePage, type NodePageProps } from "../../NodePage.tsx";
import {
  filterOperations,
  groupByTag,
  referenceOperations,
  type ReferenceField,
  type ReferenceOperation,
  type ReferenceParameter,
} from "./api-reference.ts";

/** The file name the raw document downloads as. */
export const OPENAPI_FILE_NAME = "syncpoint-openapi.json";

/** The document's tags (apps/server/src/openapi/document.ts) in the console's language; a new one as it is named. */
function tagLabel(t: TFunction, tag: string): string {
  switch (tag) {
    case "Health":
      return t("apiReference.tags.health");
    case "Authentication":
      return t("apiReference.tags.authentication");
    case "Users":
      return t("apiReference.tags.users");
    case "API Tokens":
      return t("apiReference.tags.apiTokens");
    case "Audit":
      return t("apiReference.tags.audit");
    case "Sites":
      return t("apiReference.tags.sites");
    case "Synchronization":
      return t("apiReference.tags.synchronization");
    case "Software Updates":
      return t("apiReference.tags.softwareUpdates");
    case "Settings":
      return t("apiReference.tags.settings");
    case "Alerts":
      return t("apiReference.tags.alerts");
    case "Notifications":
      return t("apiReference.tags.notifications");
    case "Reference":
      return t("apiReference.tags.reference");
    default:
      return tag;
  }
}

/**
 * Administration › Security › API Reference: every operation of the API, from the server's OpenAPI document, grouped
 * by area — method, path, summary, who may call it, parameters and request body fields — with a filter, and the raw
 * document to download for tools.
 */
export default function ApiReferencePage({ node }: NodePageProps) {
  const { t, i18n } = useTranslation();
  const query = useOpenApiDocument();
  const document = query.data;
  const [filter, setFilter] = useState("");
  const id = useId();
  const operations = useMemo(() => (document ? referenceOperations(document) : []), [document]);
  const shown = useMemo(() => filterOperations(operations, filter), [operations, filter]);
  const groups = useMemo(() => (document ? groupByTag(document, shown) : []), [document, shown]);

  const state = queryStateMessage(query, { loading: t("apiReference.loading"), failed: t("apiReference.loadFailed") });
  let content;
  if (state) {
    content = state;
  } else if (groups.length === 0) {
    content = <p className="state-message">{t("apiReference.noMatch")}</p>;
  } else {
    content = groups.map((group, index) => (
      <section key={group.tag} className="api-reference__group" aria-labelledby={`${id}-group-${index}`}>
        <h2 id={`${id}-group-${index}`}>{tagLabel(t, group.tag)}</h2>
        <div className="table-frame">
          <table className="data-table api-reference__table">
            <caption className="visually-hidden">
              {t("apiReference.groupCaption", { area: tagLabel(t, group.tag), count: group.operations.length })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("apiReference.columns.operation")}</th>
                <th scope="col">{t("apiReference.columns.summary")}</th>
                <th scope="col">{t("apiReference.columns.access")}</th>
                <th scope="col">{t("apiReference.columns.parameters")}</th>
                <th scope="col">{t("apiReference.columns.body")}</th>
              </tr>
            </thead>
            <tbody>
              {group.operations.map((operation) => (
                <OperationRow key={operation.key} operation={operation} />
              ))}
            </tbody>
          </table>
        </div>
      </section>
    ));
  }

  return (
    <NodePage node={node}>
      <form
        role="search"
        aria-label={t("apiReference.filterLabel")}
        className="filter-bar api-reference__bar"
        onSubmit={(event) => event.preventDefault()}
      >
        <FormField
          id={`${id}-filter`}
          label={t("apiReference.filter")}
          hint={t("apiReference.filterHint")}
          input={{
            type: "search",
            name: "filter",
            autoComplete: "off",
            value: filter,
            onChange: (event) => setFilter(event.currentTarget.value),
          }}
        />
        <div className="filter-bar__actions">
          <a className="button" href={OPENAPI_URL} download={OPENAPI_FILE_NAME}>
            {t("apiReference.download")}
          </a>
        </div>
      </form>
      {document && (
        <p role="status" className="api-reference__summary">
          {t("apiReference.shown", { count: shown.length, total: operations.length })}{" "}
          <span className="muted">
            {t("apiReference.documentVersion", {
              title: document.info.title,
              version: document.info.version,
              openapi: document.openapi,
            })}
          </span>
        </p>
      )}
      {/* The summaries are the API's own documentation, written in English with its routes (see OperationRow). */}
      {document && !i18n.resolvedLanguage?.startsWith("en") && (
        <p className="form__hint api-reference__language">{t("apiReference.summariesInEnglish")}</p>
      )}
      {content}
    </NodePage>
  );
}

function OperationRow({ operation }: { operation: ReferenceOperation }) {
  const { t } = useTranslation();
  return (
    <tr data-operation={operation.key}>
      <th scope="row" className="api-reference__operation">
        <span className={`http-method http-method--${operation.method}`}>{operation.method.toUpperCase()}</span>{" "}
        <code>{operation.path}</code>
      </th>
      {/*
        The API's own words, as the downloadable document, the CLI and the server's routes have them: in English, and
        marked so (lang) for screen readers. The page around them is in the console's language.
      */}
      <td lang="en">{operation.summary}</td>
      <td>
        <Access operation={operation} />
      </td>
      <td>
        {operation.parameters.length === 0 ? (
          <span className="muted">{t("common.notApplicable")}</span>
        ) : (
          <FieldList fields={operation.parameters} />
        )}
      </td>
      <td>
        {operation.body === undefined ? (
          <span className="muted">{t("common.notApplicable")}</span>
        ) : operation.body.length === 0 ? (
          <span className="muted">{t("apiReference.emptyBody")}</span>
        ) : (
          <FieldList fields={operation.body} />
        )}
      </td>
    </tr>
  );
}

function Access({ operation }: { operation: ReferenceOperation }) {
  const { t } = useTranslation();
  if (operation.access === "public") return <>{t("apiReference.access.public")}</>;
  if (operation.access === "authenticated") return <>{t("apiReference.access.authenticated")}</>;
  return (
    <>
      <code>{operation.access}</code>
      <br />
      <span className="muted">
        {t("apiReference.access.roles", { roles: operation.roles.map((role) => roleLabel(t, role)).join(", ") })}
      </span>
    </>
  );
}

function FieldList({ fields }: { fields: readonly (ReferenceField | ReferenceParameter)[] }) {
  const { t } = useTranslation();
  return (
    <ul className="api-reference__fields">
      {fields.map((field) => {
        const where =
          "in" in field
            ? field.in === "path"
              ? t("apiReference.parameterIn.path")
              : t("apiReference.parameterIn.query")
            : undefined;
        const notes = [where, field.required ? t("apiReference.required") : undefined].filter(Boolean).join(", ");
        return (
          <li key={`${"in" in field ? field.in : "body"}-${field.name}`}>
            <code>{field.name}</code>
            {notes && <span className="muted"> ({notes})</span>}
          </li>
        );
      })}
    </ul>
  );
}
