import { describe, expect, it } from "vitest";
import { DEFAULT_PATH, safeNextPath, withNext } from "./next-path.ts";

describe("safeNextPath", () => {
  it("keeps a path of this console, with its query", () => {
    expect(safeNextPath("/administration/sites?x=1")).toBe("/administration/sites?x=1");
  });

  it.each([
    null,
    "",
    "https://evil.example/",
    "//evil.example/x",
    "/\\evil.example",
    "javascript:alert(1)",
    "/login",
    "/login?next=/x",
    "/change-password",
  ])("falls back to the default page for %j", (next) => {
    expect(safeNextPath(next)).toBe(DEFAULT_PATH);
  });

  it("round-trips through withNext", () => {
    const url = withNext("/login", { pathname: "/administration/sites", search: "?a=b&c=d", hash: "#x" });
    const next = new URL(url, "http://console.test").searchParams.get("next");
    expect(safeNextPath(next)).toBe("/administration/sites?a=b&c=d#x");
  });
});
