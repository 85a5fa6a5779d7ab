import { OpenApiDocumentDto } from "@syncpoint/contracts";
import { defineRoute, type RouteSpec } from "../http/route.ts";
import { openApiJson } from "../openapi/document.ts";

/**
 * GET /api/openapi.json, describing `registry()` — the list this route is part of, so it takes a function: the list is
 * complete only once this route is in it. Public: the document holds the API's shape, no data, and tools and scripts
 * fetch it before they have credentials.
 */
export function openApiRoutes(registry: () => readonly RouteSpec[]): RouteSpec[] {
  return [
    defineRoute({
      method: "get",
      path: "/openapi.json",
      access: "public",
      summary: "This API as an OpenAPI 3.1 document, generated from the route definitions and their schemas.",
      response: OpenApiDocumentDto,
      handler: ({ res }) => {
        res.type("application/json").send(openApiJson(registry()));
        return undefined;
      },
    }),
  ];
}
