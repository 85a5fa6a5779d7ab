// Bulk writes that Prisma's createMany makes expensive: every row goes through the query compiler and one bind
// parameter per column. Here a whole batch is one JSON document, expanded by Postgres itself
// (json_populate_recordset turns JSON arrays into array columns and leaves jsonb values as they are).
import type { PrismaClient } from "./generated/prisma/client.ts";

/** One update_revisions row, with the column names of the table. stored_at is set by the insert. */
export interface UpdateRevisionRow {
  update_id: string;
  revision_number: number;
  update_type: string;
  title: string;
  description: string | null;
  localized: unknown;
  languages: string[];
  kb_article_ids: string[];
  security_bulletin_ids: string[];
  cve_ids: string[];
  msrc_severity: string | null;
  classification_ids: string[];
  product_ids: string[];
  /** ISO-8601. */
  creation_date: string;
  publication_state: string;
  is_bundle: boolean;
  bundled_updates: unknown;
  superseded_update_ids: string[];
  prerequisite_ids: string[];
  files: unknown;
  support_url: string | null;
  more_info_url: string | null;
  max_download_size: number | null;
  default_language: string;
  is_beta: boolean | null;
  max_run_time_minutes: number | null;
}

type RawExecutor = Pick<PrismaClient, "$executeRaw">;

/**
 * Inserts revisions in one statement; a revision already stored is left as it is (revisions never change once
 * published, and a resumed run may store a batch twice). Returns how many rows were new.
 */
export async function insertUpdateRevisions(db: RawExecutor, rows: readonly UpdateRevisionRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const json = JSON.stringify(rows);
  return db.$executeRaw`
    INSERT INTO update_revisions (update_id, revision_number, update_type, title, description, localized, languages,
      kb_article_ids, security_bulletin_ids, cve_ids, msrc_severity, classification_ids, product_ids, creation_date,
      publication_state, is_bundle, bundled_updates, superseded_update_ids, prerequisite_ids, files, support_url,
      more_info_url, max_download_size, default_language, is_beta, max_run_time_minutes, stored_at)
    SELECT update_id, revision_number, update_type, title, description, localized, languages,
      kb_article_ids, security_bulletin_ids, cve_ids, msrc_severity, classification_ids, product_ids, creation_date,
      publication_state, is_bundle, bundled_updates, superseded_update_ids, prerequisite_ids, files, support_url,
      more_info_url, max_download_size, default_language, is_beta, max_run_time_minutes, now()
    FROM json_populate_recordset(NULL::update_revisions, ${json}::json)
    ON CONFLICT (update_id, revision_number) DO NOTHING`;
}
