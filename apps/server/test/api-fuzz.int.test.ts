// API fuzz (issue #9), every route with a schema but the account routes (their half is api-fuzz-accounts): what is
// checked, and how, is in fuzz/api-fuzz.ts.
import { expect, it } from "vitest";
import { describeApiFuzz, fuzzedRouteKeys, isAccountRoute } from "./fuzz/api-fuzz.ts";

it("the two halves cover every route that declares a schema", () => {
  const keys = fuzzedRouteKeys();
  expect(keys.length).toBeGreaterThanOrEqual(30);
  expect(keys.filter(isAccountRoute).length).toBeGreaterThanOrEqual(5);
  expect(keys.filter((k) => !isAccountRoute(k)).length).toBeGreaterThanOrEqual(25);
});

describeApiFuzz("API fuzz", (key) => !isAccountRoute(key));
