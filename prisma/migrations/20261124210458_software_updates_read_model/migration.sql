-- All Software Updates' read model: the list's sort and filter columns copied onto each catalog entry from its
-- revision (revisions are immutable per (update_id, revision_number)), so that a page walks one per-site index in the
-- sort's order and stops at the page; the text search has its indexes on the revisions.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- DropIndex (the list reads the entries' copies in its sort orders now)
DROP INDEX "update_revisions_creation_date_update_id_idx";

-- AlterTable
ALTER TABLE "site_catalog_entries" ADD COLUMN     "creation_date" TIMESTAMPTZ(3),
ADD COLUMN     "first_kb" TEXT,
ADD COLUMN     "list_tags" TEXT[],
ADD COLUMN     "listed_revision" INTEGER,
ADD COLUMN     "msrc_severity" TEXT,
ADD COLUMN     "severity_rank" SMALLINT,
ADD COLUMN     "title" TEXT;

-- The category filters of one entry as one array under one GIN index: "<site> c <classification>" and
-- "<site> p <product>" (a child site's filter finds its own entries only).
CREATE FUNCTION catalog_list_tags(site text, classifications uuid[], products uuid[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY(
    SELECT site || ' c ' || x FROM unnest(classifications) x WHERE x IS NOT NULL
    UNION ALL SELECT site || ' p ' || x FROM unnest(products) x WHERE x IS NOT NULL)
$$;

-- A title as one pg_trgm "word": spaces and the common punctuation become a letter, so trigrams span word boundaries
-- and "Security Update" no longer matches every "Security Intelligence Update". Only a pre-filter under a trigram
-- index: the list also applies its ILIKE to the title itself. LIKE's escape (\) and wildcards (% _) are left alone.
-- (replace, not translate: translate is an order of magnitude slower on UTF-8 text.)
CREATE FUNCTION catalog_title_grams(title text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT replace(replace(replace(replace(replace(replace(replace(replace(
    title, ' ', 'q'), '-', 'q'), '.', 'q'), '(', 'q'), ')', 'q'), ',', 'q'), '/', 'q'), ':', 'q')
$$;

-- The read model of an entry whose revision it was not copied from (listed_revision): every writer that does not
-- copy the columns itself (the catalog store does) gets them here.
CREATE FUNCTION site_catalog_entries_list_columns() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT r.title, r.creation_date, r.msrc_severity,
         array_position(ARRAY['Low','Moderate','Important','Critical'], r.msrc_severity),
         r.kb_article_ids[1],
         catalog_list_tags(NEW.site_code, r.classification_ids, r.product_ids)
  INTO NEW.title, NEW.creation_date, NEW.msrc_severity, NEW.severity_rank, NEW.first_kb, NEW.list_tags
  FROM update_revisions r
  WHERE r.update_id = NEW.update_id AND r.revision_number = NEW.revision_number;
  NEW.listed_revision := NEW.revision_number;
  RETURN NEW;
END
$$;

CREATE TRIGGER site_catalog_entries_list_columns
BEFORE INSERT OR UPDATE ON site_catalog_entries
FOR EACH ROW WHEN (NEW.listed_revision IS DISTINCT FROM NEW.revision_number)
EXECUTE FUNCTION site_catalog_entries_list_columns();

-- Backfill
UPDATE site_catalog_entries e
SET title = r.title, creation_date = r.creation_date, msrc_severity = r.msrc_severity,
    severity_rank = array_position(ARRAY['Low','Moderate','Important','Critical'], r.msrc_severity),
    first_kb = r.kb_article_ids[1],
    list_tags = catalog_list_tags(e.site_code, r.classification_ids, r.product_ids),
    listed_revision = e.revision_number
FROM update_revisions r
WHERE r.update_id = e.update_id AND r.revision_number = e.revision_number;

-- One index per sort (the other direction of date and title walks the same index backwards, ties sorted per group)
CREATE INDEX "site_catalog_entries_list_date_idx" ON "site_catalog_entries" ("site_code", "creation_date" DESC, "update_id");
CREATE INDEX "site_catalog_entries_list_title_idx" ON "site_catalog_entries" ("site_code", left("title", 256));
CREATE INDEX "site_catalog_entries_list_severity_idx" ON "site_catalog_entries" ("site_code", "severity_rank" NULLS FIRST, "update_id");
CREATE INDEX "site_catalog_entries_list_severity_desc_idx" ON "site_catalog_entries" ("site_code", "severity_rank" DESC NULLS LAST, "update_id");
CREATE INDEX "site_catalog_entries_list_kb_idx" ON "site_catalog_entries" ("site_code", "first_kb" NULLS LAST, "update_id");
CREATE INDEX "site_catalog_entries_list_kb_desc_idx" ON "site_catalog_entries" ("site_code", "first_kb" DESC NULLS LAST, "update_id");
-- The category filters
CREATE INDEX "site_catalog_entries_list_tags_idx" ON "site_catalog_entries" USING gin ("list_tags");
-- The search, over the revisions (stored once for every site; a page joins what it finds with the site's entries)
CREATE INDEX "update_revisions_kb_article_ids_idx" ON "update_revisions" USING gin ("kb_article_ids");
CREATE INDEX "update_revisions_cve_ids_idx" ON "update_revisions" USING gin ("cve_ids");
CREATE INDEX "update_revisions_security_bulletin_ids_idx" ON "update_revisions" USING gin ("security_bulletin_ids");
CREATE INDEX "update_revisions_title_trgm_idx" ON "update_revisions" USING gin (catalog_title_grams("title") gin_trgm_ops);
