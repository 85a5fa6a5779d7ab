import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, api, apiRequest, onPasswordChangeRequired, onUnauthorized } from "./client.ts";
import { errorEnvelope, json, mockApi } from "../test-utils/mock-api.ts";

afterEach(() => {
  vi.unstubAllGlobals();
});

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("api client", () => {
  it("sends JSON with the session cookie and parses the JSON answer", async () => {
    const calls = mockApi({
      "POST /api/auth/login": ({ body }) => json(200, { username: (body as { username: string }).username }),
    });
    await expect(api.post("/api/auth/login", { username: "admin", password: "x" })).resolves.toEqual({
      username: "admin",
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: "POST",
      path: "/api/auth/login",
      credentials: "same-origin",
      body: { username: "admin", password: "x" },
    });
    expect(calls[0]?.headers["content-type"]).toBe("application/json");
  });

  it("sends {} as the body of a mutation without one, and no body on GET", async () => {
    const calls = mockApi({
      "POST /api/auth/logout": () => new Response(null, { status: 204 }),
      "GET /api/sites": () => json(200, { items: [] }),
    });
    await expect(api.post("/api/auth/logout")).resolves.toBeUndefined();
    await api.get("/api/sites");
    expect(calls[0]?.body).toEqual({});
    expect(calls[0]?.headers["content-type"]).toBe("application/json");
    expect(calls[1]?.body).toBeUndefined();
    expect(calls[1]?.headers["content-type"]).toBeUndefined();
  });

  it("maps the error envelope to an ApiError with status, code, message and fields", async () => {
    mockApi({
      "POST /api/auth/change-password": () =>
        errorEnvelope(400, "VALIDATION_FAILED", "body.currentPassword: the current password is incorrect.", {
          fields: [
            { field: "body.currentPassword", message: "the current password is incorrect" },
            { field: 42, message: "not a field error" },
          ],
        }),
    });
    const error = await caught(api.post("/api/auth/change-password", { currentPassword: "a", newPassword: "b" }));
    expect(error.status).toBe(400);
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.message).toBe("body.currentPassword: the current password is incorrect.");
    expect(error.fromServer).toBe(true);
    expect(error.fields).toEqual([{ field: "body.currentPassword", message: "the current password is incorrect" }]);
    expect(error.fieldMessage("currentPassword")).toBe("the current password is incorrect");
    expect(error.fieldMessage("newPassword")).toBeUndefined();
  });

  it("maps a 401 envelope without details to an ApiError with no fields", async () => {
    mockApi({
      "POST /api/auth/login": () =>
        errorEnvelope(401, "INVALID_CREDENTIALS", "The user name or password is incorrect."),
    });
    const error = await caught(api.post("/api/auth/login", { username: "a", password: "b" }));
    expect(error).toMatchObject({ status: 401, code: "INVALID_CREDENTIALS", fields: [] });
    expect(error.message).toBe("The user name or password is incorrect.");
  });

  it("turns a non-JSON 502 from a proxy into a SERVICE_UNAVAILABLE ApiError not meant for display", async () => {
    mockApi({
      "GET /api/sites": () =>
        new Response("<html><body><h1>502 Bad Gateway</h1></body></html>", {
          status: 502,
          statusText: "Bad Gateway",
          headers: { "Content-Type": "text/html" },
        }),
    });
    const error = await caught(api.get("/api/sites"));
    expect(error.status).toBe(502);
    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.fromServer).toBe(false);
    expect(error.fields).toEqual([]);
    expect(error.message).toContain("HTTP 502 Bad Gateway");
  });

  it("does not mistake JSON that is not an envelope for one", async () => {
    mockApi({ "GET /api/sites": () => json(500, { message: "oops" }) });
    const error = await caught(api.get("/api/sites"));
    expect(error).toMatchObject({ status: 500, code: "INTERNAL_ERROR", fromServer: false });
  });

  it("reports a failed connection as NETWORK_ERROR with status 0", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("Failed to fetch");
      }),
    );
    const error = await caught(api.get("/api/sites"));
    expect(error).toMatchObject({ status: 0, code: "NETWORK_ERROR", fromServer: false });
  });

  it("reports a 2xx answer that claims JSON but is not as BAD_RESPONSE", async () => {
    mockApi({
      "GET /api/sites": () =>
        new Response("{not json", { status: 200, headers: { "Content-Type": "application/json" } }),
    });
    const error = await caught(api.get("/api/sites"));
    expect(error).toMatchObject({ status: 200, code: "BAD_RESPONSE" });
  });

  it("signals a 401 as a lost session, except for login and me", async () => {
    mockApi({
      "GET /api/sites": () => errorEnvelope(401, "UNAUTHENTICATED", "Sign in to continue."),
      "GET /api/auth/me": () => errorEnvelope(401, "UNAUTHENTICATED", "Sign in to continue."),
      "POST /api/auth/login": () =>
        errorEnvelope(401, "INVALID_CREDENTIALS", "The user name or password is incorrect."),
    });
    const lost = vi.fn();
    const unsubscribe = onUnauthorized(lost);
    try {
      await caught(apiRequest("/api/auth/me"));
      await caught(api.post("/api/auth/login", { username: "a", password: "b" }));
      expect(lost).not.toHaveBeenCalled();
      await caught(api.get("/api/sites"));
      expect(lost).toHaveBeenCalledTimes(1);
      expect(lost).toHaveBeenCalledWith("/api/sites");
    } finally {
      unsubscribe();
    }
    await caught(api.get("/api/sites"));
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it("signals a 403 PASSWORD_CHANGE_REQUIRED, and no other 403", async () => {
    mockApi({
      "GET /api/users": () =>
        errorEnvelope(403, "PASSWORD_CHANGE_REQUIRED", "Change your password before doing anything else."),
      "POST /api/users": () => errorEnvelope(403, "FORBIDDEN", "Your role does not allow this action."),
    });
    const required = vi.fn();
    const unsubscribe = onPasswordChangeRequired(required);
    try {
      expect(await caught(api.post("/api/users", { username: "x", role: "read-only-analyst" }))).toMatchObject({
        status: 403,
        code: "FORBIDDEN",
      });
      expect(required).not.toHaveBeenCalled();
      expect(await caught(api.get("/api/users"))).toMatchObject({ status: 403, code: "PASSWORD_CHANGE_REQUIRED" });
      expect(required).toHaveBeenCalledWith("/api/users");
    } finally {
      unsubscribe();
    }
    await caught(api.get("/api/users"));
    expect(required).toHaveBeenCalledTimes(1);
  });
});
