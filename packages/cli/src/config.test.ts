import { describe, expect, it } from "vitest";
import { readConfig } from "./config.ts";

describe("configuration from the environment", () => {
  it("defaults to http://localhost:8080; a token wins over a user and password", () => {
    expect(readConfig({})).toEqual({ baseUrl: "http://localhost:8080", auth: { kind: "none" } });
    expect(readConfig({ SYNCPOINT_URL: "https://sp.example/base/", SYNCPOINT_TOKEN: " t " })).toEqual({
      baseUrl: "https://sp.example/base",
      auth: { kind: "token", token: "t" },
    });
    expect(readConfig({ SYNCPOINT_USER: "admin", SYNCPOINT_PASSWORD: "pw", SYNCPOINT_TOKEN: "" }).auth).toEqual({
      kind: "password",
      username: "admin",
      password: "pw",
    });
    expect(readConfig({ SYNCPOINT_URL: "http://a:1" }, "http://b:2").baseUrl).toBe("http://b:2");
  });

  it("refuses what it cannot use, saying why", () => {
    expect(() => readConfig({ SYNCPOINT_URL: "nope" })).toThrow(/SYNCPOINT_URL "nope" is not a URL/);
    expect(() => readConfig({ SYNCPOINT_URL: "ftp://x" })).toThrow(/not an http or https URL/);
    expect(() => readConfig({ SYNCPOINT_URL: "http://u:p@x" })).toThrow(/must not contain a user name/);
    expect(() => readConfig({ SYNCPOINT_USER: "admin" })).toThrow(/SYNCPOINT_PASSWORD is not/);
  });
});
