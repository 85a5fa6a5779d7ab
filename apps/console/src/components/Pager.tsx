import { useTranslation } from "react-i18next";

/** Previous page, "Page 2 of 7", Next page: paging through a list the server pages. */
export function Pager({
  label,
  page,
  pageSize,
  total,
  onPage,
}: {
  /** The navigation landmark's name ("Pages of software updates"). */
  label: string;
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav aria-label={label} className="pager">
      <button type="button" className="button" disabled={page <= 1} onClick={() => onPage(Math.min(page - 1, pages))}>
        {t("paging.previous")}
      </button>
      <span className="pager__page" aria-live="polite">
        {t("paging.pageOf", { page, pages })}
      </span>
      <button type="button" className="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t("paging.next")}
      </button>
    </nav>
  );
}
