// What Test connection found, in the console's language: the failed step and what the error code means, with the
// server's own (English) account of it kept beside the code.
import type { TestConnectionResult } from "@syncpoint/contracts";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { setLocale } from "../../i18n/index.ts";
import { ConnectionTestResult } from "./ConnectionTestResult.tsx";

afterEach(async () => {
  cleanup();
  await setLocale("en-US");
});

const failed: TestConnectionResult = {
  ok: false,
  url: "http://upstream.test:8530",
  steps: [
    { step: "GetAuthConfig", ok: true, ms: 12 },
    { step: "GetAuthorizationCookie", ok: false, ms: 30 },
  ],
  errorCode: "UPSTREAM_AUTH_FAILED",
  message: "GetAuthorizationCookie failed: the upstream update server answered HTTP 401.",
  protocolVersion: null,
};

describe("ConnectionTestResult", () => {
  it("says in German what failed and what the code means, the server's message beside the code", async () => {
    await setLocale("de-DE");
    render(<ConnectionTestResult result={failed} />);
    const region = screen.getByRole("region", {
      name: "Der Verbindungstest ist bei GetAuthorizationCookie fehlgeschlagen",
    });
    const paragraphs = [...region.querySelectorAll("p")].map((p) => p.textContent);
    expect(paragraphs).toEqual([
      "Der Upstream-Updateserver hat die Autorisierung oder das Cookie abgelehnt.",
      "UPSTREAM_AUTH_FAILED GetAuthorizationCookie failed: the upstream update server answered HTTP 401.",
      "Synchronisierungsquelle: http://upstream.test:8530",
    ]);
    expect(region.querySelector("[lang=en]")?.textContent).toBe(failed.message);
  });

  it("shows a code it does not know with the server's message alone", async () => {
    await setLocale("sv-SE");
    render(<ConnectionTestResult result={{ ...failed, errorCode: "UPSTREAM_SOMETHING_NEW" }} />);
    const region = screen.getByRole("region");
    expect([...region.querySelectorAll("p")].map((p) => p.textContent).slice(0, 2)).toEqual([
      failed.message,
      "UPSTREAM_SOMETHING_NEW",
    ]);
  });
});
