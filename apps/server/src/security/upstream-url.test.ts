import { describe, expect, it } from "vitest";
import { SyncError } from "@syncpoint/sync";
import { assertStoredUrlsAllowed, parseAllowedHosts, upstreamUrlProblem } from "./upstream-url.ts";

describe("UPSTREAM_ALLOWED_HOSTS patterns", () => {
  it("parses hosts, host:port, wildcards and IP literals, as URL.hostname spells them", () => {
    expect(parseAllowedHosts(" WSUS.example:8531 , *.Corp.Example,10.0.0.5,[0:0::1]:8530,")).toEqual([
      { host: "wsus.example", port: 8531 },
      { host: "*.corp.example" },
      { host: "10.0.0.5" },
      { host: "[::1]", port: 8530 },
    ]);
    expect(parseAllowedHosts(undefined)).toBeUndefined();
    expect(parseAllowedHosts("  ")).toBeUndefined();
  });

  it.each(["http://wsus.example", "wsus.example:0", "wsus.example:70000", "*.[::1]", "wsus example", "user@host", "*"])(
    "refuses %s",
    (entry) => expect(() => parseAllowedHosts(entry)).toThrow(/is not a host or host:port pattern/),
  );
});

describe("upstreamUrlProblem", () => {
  const allowed = parseAllowedHosts("wsus.example:8531,*.corp.example,127.0.0.1,[::1]:8530");

  it.each([
    "https://wsus.example:8531/",
    "https://WSUS.example:8531/ClientWebService",
    "http://a.corp.example/",
    "https://a.b.corp.example:9999/",
    "http://127.0.0.1:8530/",
    "http://127.0.0.1/",
    "http://[::1]:8530/",
  ])("allows %s", (url) => expect(upstreamUrlProblem(url, allowed)).toBeUndefined());

  it.each([
    ["https://wsus.example/", /not one of the upstream hosts/],
    ["http://wsus.example:8530/", /not one of the upstream hosts/],
    ["http://corp.example/", /not one of the upstream hosts/],
    ["http://evilcorp.example/", /not one of the upstream hosts/],
    ["http://a.corp.example.evil.test/", /not one of the upstream hosts/],
    ["http://[::1]:8531/", /not one of the upstream hosts/],
    ["http://user:pw@a.corp.example/", /user name or password/],
    ["http://user@a.corp.example/", /user name or password/],
    ["ftp://a.corp.example/", /only http and https/],
    ["file:///etc/passwd", /only http and https/],
    ["not a url", /enter an http or https URL/],
  ])("refuses %s", (url, problem) => expect(upstreamUrlProblem(url, allowed)).toMatch(problem));

  it("without a list allows any http(s) host, still without credentials", () => {
    expect(upstreamUrlProblem("http://anything.example:1/", undefined)).toBeUndefined();
    expect(upstreamUrlProblem("http://u:p@anything.example/", undefined)).toMatch(/user name or password/);
  });
});

describe("assertStoredUrlsAllowed", () => {
  const config = { UPSTREAM_ALLOWED_HOSTS: "wsus.example" };
  const refused = (settings: Parameters<typeof assertStoredUrlsAllowed>[0]) => {
    try {
      assertStoredUrlsAllowed(settings, config);
    } catch (error) {
      return error as SyncError;
    }
    return undefined;
  };

  it("checks the upstream URL only when the site syncs from it, and the proxy always", () => {
    expect(
      refused({ syncSource: "upstream_url", upstreamUrl: "http://wsus.example/", proxyUrl: null }),
    ).toBeUndefined();
    expect(
      refused({ syncSource: "microsoft_update", upstreamUrl: "http://old.example/", proxyUrl: null }),
    ).toBeUndefined();
    const upstream = refused({ syncSource: "upstream_url", upstreamUrl: "http://old.example/", proxyUrl: null });
    expect(upstream).toBeInstanceOf(SyncError);
    expect(upstream?.code).toBe("UPSTREAM_URL_NOT_ALLOWED");
    const proxy = refused({ syncSource: "microsoft_update", upstreamUrl: null, proxyUrl: "http://u:p@proxy.example/" });
    expect(proxy?.code).toBe("UPSTREAM_URL_NOT_ALLOWED");
    expect(proxy?.message).toMatch(/proxy/);
    expect(proxy?.message).not.toContain("u:p");
  });
});
