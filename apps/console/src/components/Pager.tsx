import { useId } from "react";
import { useTranslation } from "react-i18next";

/**
 * Previous page, "Page 2 of 7", Next page: paging through a list the server pages; with `pageSizes`, a choice of
 * how many records a page holds.
 */
export function Pager({
  label,
  page,
  pageSize,
  total,
  onPage,
  pageSizes,
}: {
  /** The navigation landmark's name ("Pages of software updates"). */
  label: string;
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  pageSizes?: { label: string; sizes: readonly number[]; onChange: (pageSize: number) => void };
}) {
  const { t } = useTranslation();
  const id = useId();
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
      {pageSizes && (
        <>
          <label htmlFor={`${id}-size`} className="pager__size-label">
            {pageSizes.label}
          </label>
          <select
            id={`${id}-size`}
            value={pageSize}
            onChange={(e) => pageSizes.onChange(Number(e.currentTarget.value))}
          >
            {pageSizes.sizes.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </>
      )}
    </nav>
  );
}
