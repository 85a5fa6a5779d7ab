import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import { useDocumentTitle } from "../components/useDocumentTitle.ts";

/** The "page not found" node, for any path that names no node. */
export function NotFoundPage() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  useDocumentTitle(t("notFound.title"));
  return (
    <article className="node-page">
      <div className="node-page__header">
        <h1>{t("notFound.title")}</h1>
        <p className="node-page__description">{t("notFound.description", { path: pathname })}</p>
      </div>
      <p>
        <Link to="/">{t("notFound.home")}</Link>
      </p>
    </article>
  );
}
