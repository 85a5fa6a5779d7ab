-- All Software Updates sorted by severity descending walks the severity index backwards (ties by update ID
-- descending): the descending index is one index fewer for every entry a sync writes.
DROP INDEX IF EXISTS "site_catalog_entries_list_severity_desc_idx";
