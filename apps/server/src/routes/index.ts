import type { RouteSpec } from "../http/route.ts";
import { alertRoutes } from "./alerts.ts";
import { auditRoutes } from "./audit.ts";
import { authRoutes } from "./auth.ts";
import { catalogRoutes } from "./catalog.ts";
import { catalogImportRoutes } from "./catalog-import.ts";
import { healthRoutes } from "./health.ts";
import { notificationRoutes } from "./notifications.ts";
import { openApiRoutes } from "./openapi.ts";
import { settingsRoutes } from "./settings.ts";
import { siteRoutes } from "./sites.ts";
import { syncRoutes } from "./sync.ts";
import { tokenRoutes } from "./tokens.ts";
import { updatePackageRoutes } from "./update-packages.ts";
import { userRoutes } from "./users.ts";

/** Every API route, in one list: the registry that access checks, tests and the API reference read. */
export const apiRoutes: readonly RouteSpec[] = [
  ...healthRoutes,
  ...authRoutes,
  ...userRoutes,
  ...tokenRoutes,
  ...auditRoutes,
  ...siteRoutes,
  ...syncRoutes,
  ...catalogRoutes,
  ...catalogImportRoutes,
  ...updatePackageRoutes,
  ...settingsRoutes,
  ...alertRoutes,
  ...notificationRoutes,
  // Last: the document describes this whole list, itself included.
  ...openApiRoutes(() => apiRoutes),
];

/** Routes a worker-only process serves: it has no API, but orchestrators still probe it. */
export const workerRoutes: readonly RouteSpec[] = healthRoutes;
