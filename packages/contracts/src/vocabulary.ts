// The public vocabulary pinned in DESIGN.md ("Vocabulary"). Values are stable: add, never rename or remove.
import { z } from "zod";

export const RUN_STATES = ["queued", "running", "canceling", "succeeded", "failed", "canceled"] as const;
export const RunState = z.enum(RUN_STATES);
export type RunState = z.infer<typeof RunState>;

/** A SUP row's state is its latest run's state, or `never` before the first run. */
export const SupState = z.enum([...RUN_STATES, "never"]);
export type SupState = z.infer<typeof SupState>;

/** The phases of one sync run, in the order they run. */
export const RUN_PHASES = [
  "authorize",
  "config",
  "categories",
  "revisions",
  "updates",
  "apply",
  "supersedence",
  "commit",
  "notify",
] as const;
export const RunPhase = z.enum(RUN_PHASES);
export type RunPhase = z.infer<typeof RunPhase>;

export const RunTrigger = z.enum(["schedule", "manual", "parent", "retry", "import"]);
export type RunTrigger = z.infer<typeof RunTrigger>;

export const AlertState = z.enum(["active", "acknowledged", "canceled"]);
export type AlertState = z.infer<typeof AlertState>;

export const LinkState = z.enum(["healthy", "degraded", "error"]);
export type LinkState = z.infer<typeof LinkState>;

export const ROLES = ["full-administrator", "software-update-manager", "read-only-analyst"] as const;
export const RoleName = z.enum(ROLES);
export type RoleName = z.infer<typeof RoleName>;

export const SiteType = z.enum(["central", "primary", "secondary"]);
export type SiteType = z.infer<typeof SiteType>;

/** The Sync Settings tab's choices, plus `parent` for every site below the top level. */
export const SyncSource = z.enum(["microsoft-update", "upstream-url", "parent", "disconnected"]);
export type SyncSource = z.infer<typeof SyncSource>;

/** Site codes are three characters, letters and digits, as in Configuration Manager. */
export const SiteCode = z.string().regex(/^[A-Z0-9]{3}$/, "a site code is three letters or digits, e.g. P01");
