import type { Me, SiteTree, UpdatePackageDto } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { adminMe, analystMe } from "../../test-utils/fixtures.ts";
import { json, mockApi, type Handler } from "../../test-utils/mock-api.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { supSettings } from "../../test-utils/settings-fixtures.ts";
import { RUN_ID, syncRun } from "../../test-utils/sync-fixtures.ts";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const PATH = "/software-library/software-updates/update-packages";
const WINDOWS_11 = "72e7624a-5b00-45d2-b92f-e561c0a6a160";

const sites: SiteTree = {
  items: [
    {
      code: "CAS",
      name: "Central Administration Site",
      type: "central",
      parentCode: null,
      sups: [{ serverName: "cas.contoso.com", syncSource: "disconnected", catalogVersion: 41 }],
      children: [
        {
          code: "P01",
          name: "Primary Site 01",
          type: "primary",
          parentCode: "CAS",
          sups: [{ serverName: "p01.contoso.com", syncSource: "parent", catalogVersion: 0 }],
          children: [],
        },
      ],
    },
  ],
};

function pkg(overrides: Partial<UpdatePackageDto> = {}): UpdatePackageDto {
  return {
    id: "0b6a3c6e-2f4e-4c1d-9a7b-5e3f1d2c4b6a",
    fileName: "syncpoint-CAS-v42-20261124.ndjson.gz",
    sizeBytes: 3_633_126,
    sha256: "a".repeat(64),
    state: "verified",
    manifest: {
      formatVersion: 1,
      createdAt: "2026-11-24T08:00:00.000Z",
      generator: "Syncpoint 0.1.0",
      source: { siteCode: "CAS", serverName: "cas.online.contoso.com" },
      catalogVersion: 42,
      filter: {
        products: [{ id: WINDOWS_11, title: "Windows 11" }],
        classifications: [{ id: "0fa1201d-4330-4fa8-8ae9-b877473b6441", title: "Security Updates" }],
      },
      languages: ["en"],
      counts: { categories: 36, updates: 20_027, imported: 1 },
      contentSha256: "b".repeat(64),
    },
    uploadedBy: "admin",
    uploadedAt: "2026-11-24T09:00:00.000Z",
    lastRun: null,
    ...overrides,
  };
}

function serve(
  me: Me,
  syncSource: "disconnected" | "microsoft-update",
  extra: Record<string, Handler> = {},
  list: UpdatePackageDto[] = [],
) {
  return mockApi({
    "GET /api/auth/me": () => json(200, me),
    "GET /api/sites": () => json(200, sites),
    "GET /api/sup-settings": () => json(200, supSettings({ syncSource, upstreamUrl: null })),
    "GET /api/update-packages": () => json(200, { items: list, total: list.length, page: 1, pageSize: 20 }),
    ...extra,
  });
}

/** An XMLHttpRequest that answers the upload with `status` and `body`, reporting the whole file as sent. */
function fakeUpload(status: number, body: unknown) {
  const requests: { url: string; headers: Record<string, string>; body: unknown }[] = [];
  class FakeXhr {
    status = 0;
    responseText = "";
    upload: { onprogress: ((e: { loaded: number; total: number }) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    private url = "";
    private headers: Record<string, string> = {};
    open(_method: string, url: string) {
      this.url = url;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name.toLowerCase()] = value;
    }
    getResponseHeader() {
      return "application/json";
    }
    abort() {
      this.onabort?.();
    }
    send(file: File) {
      requests.push({ url: this.url, headers: this.headers, body: file });
      setTimeout(() => {
        this.upload.onprogress?.({ loaded: file.size, total: file.size });
        this.status = status;
        this.responseText = JSON.stringify(body);
        this.onload?.();
      }, 0);
    }
  }
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
  return requests;
}

const chooseFile = async (name = "cas.ndjson.gz") => {
  const input = (await screen.findByLabelText("Update package file")) as HTMLInputElement;
  await waitFor(() => expect(input.disabled).toBe(false));
  fireEvent.change(input, { target: { files: [new File([new Uint8Array(10)], name, { type: "application/gzip" })] } });
};

describe("Software Library › Update Packages", () => {
  it("exports any synchronized site as a download; import waits for a disconnected top-level site", async () => {
    serve(adminMe, "microsoft-update");
    renderApp(PATH);
    expect(await screen.findByRole("heading", { level: 1, name: "Update Packages" })).toBeTruthy();
    const download = await screen.findByRole("link", { name: "Download update package" });
    expect(download.getAttribute("href")).toBe("/api/sites/CAS/update-package");
    expect(screen.getByText("Catalog version 41")).toBeTruthy();
    // P01 never synchronized: nothing to export, and the button says so.
    fireEvent.change(screen.getByLabelText("Site"), { target: { value: "P01" } });
    const disabled = screen.getByRole("button", { name: "Download update package" }) as HTMLButtonElement;
    expect(disabled.disabled).toBe(true);
    expect(screen.getByText("P01 has never been synchronized: there is no catalog to export yet.")).toBeTruthy();

    const upload = screen.getByRole("button", { name: "Upload and verify" }) as HTMLButtonElement;
    expect(upload.disabled).toBe(true);
    expect(
      screen.getAllByText(/CAS synchronizes from Microsoft Update or an upstream server\./).length,
    ).toBeGreaterThan(0);
    expect(await screen.findByText("No update package has been uploaded yet.")).toBeTruthy();
  });

  it("uploads a package, shows what the verification found, applies it after a confirmation and follows the run", async () => {
    const verified = pkg();
    const requests = fakeUpload(201, verified);
    const calls = serve(adminMe, "disconnected", {
      [`POST /api/update-packages/${verified.id}/apply`]: () => json(202, { runId: RUN_ID }),
      [`GET /api/sync-runs/${RUN_ID}`]: () =>
        json(200, syncRun({ id: RUN_ID, trigger: "import", state: "running", phase: "updates", percent: 40 })),
    });
    renderApp(PATH);
    await chooseFile();
    const upload = screen.getByRole("button", { name: "Upload and verify" }) as HTMLButtonElement;
    await waitFor(() => expect(upload.disabled).toBe(false));
    fireEvent.click(upload);
    await screen.findByText("syncpoint-CAS-v42-20261124.ndjson.gz is verified and can be applied.");
    expect(requests[0]).toMatchObject({
      url: "/api/update-packages?fileName=cas.ndjson.gz",
      headers: { "content-type": "application/gzip" },
    });
    const summary = document.querySelector(".details-list")!;
    expect(summary.textContent).toContain("CAS (cas.online.contoso.com)");
    expect(summary.textContent).toContain("Updates: 20,027 (1 imported) · categories: 36");
    expect(summary.textContent).toContain("Windows 11");
    expect(summary.textContent).toContain("Security Updates");

    fireEvent.click(screen.getAllByRole("button", { name: "Apply" })[0]!);
    const dialog = await screen.findByRole("alertdialog", { name: "Apply update package" });
    expect(dialog.textContent).toContain(
      "Apply syncpoint-CAS-v42-20261124.ndjson.gz to CAS? Its catalog becomes catalog version 42, exported from CAS.",
    );
    fireEvent.click(within(dialog).getByRole("button", { name: "Apply" }));
    await screen.findByText(/Applying syncpoint-CAS-v42-20261124\.ndjson\.gz…/);
    expect(calls.some((c) => c.method === "POST" && c.path === `/api/update-packages/${verified.id}/apply`)).toBe(true);
    expect(screen.getByRole("link", { name: "View the run" }).getAttribute("href")).toBe(
      `/monitoring/sync-runs/${RUN_ID}`,
    );
    expect(await screen.findByRole("progressbar", { name: "Progress of the run applying the package" })).toBeTruthy();
  });

  it("says why a package was refused, naming what it lacks, and that nothing was stored", async () => {
    fakeUpload(422, {
      error: {
        code: "PACKAGE_FILTER_MISMATCH",
        message: "CAS's settings select the products Office 2021, which this package does not hold.",
        details: {
          missingProducts: [{ id: "0a1b2c3d-0000-4000-8000-000000000001", title: "Office 2021" }],
          missingClassifications: [],
          missingLanguages: ["de"],
        },
      },
    });
    serve(adminMe, "disconnected");
    renderApp(PATH);
    await chooseFile();
    const upload = screen.getByRole("button", { name: "Upload and verify" }) as HTMLButtonElement;
    await waitFor(() => expect(upload.disabled).toBe(false));
    fireEvent.click(upload);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The package was refused. Nothing was stored or applied.");
    expect(alert.textContent).toContain(
      "The update package lacks products, classifications or languages the top-level site's settings select.",
    );
    expect(alert.textContent).toContain("Products the package lacks: Office 2021");
    expect(alert.textContent).toContain("Languages the package lacks: de");
  });

  it("lists uploaded packages; one older than the site's catalog cannot be applied, and says why", async () => {
    const older = pkg({ id: "1b6a3c6e-2f4e-4c1d-9a7b-5e3f1d2c4b6a", fileName: "old.ndjson.gz", state: "applied" });
    older.manifest = { ...older.manifest, catalogVersion: 40 };
    serve(adminMe, "disconnected", {}, [pkg(), older]);
    renderApp(PATH);
    const rowOf = (id: string) =>
      waitFor(() => {
        const found = document.querySelector<HTMLTableRowElement>(`tr[data-package-id="${id}"]`);
        if (!found) throw new Error("the package's row is not shown yet");
        return found;
      });
    const row = await rowOf(older.id);
    expect(row.textContent).toContain("Applied");
    const apply = within(row).getByRole("button", { name: "Apply old.ndjson.gz" }) as HTMLButtonElement;
    await waitFor(() =>
      expect(screen.getByText("This package holds catalog version 40; the site already has version 41.")).toBeTruthy(),
    );
    expect(apply.disabled).toBe(true);
    const newer = within(await rowOf(pkg().id)).getByRole("button", {
      name: `Apply ${pkg().fileName}`,
    }) as HTMLButtonElement;
    expect(newer.disabled).toBe(false);
  });

  it("shows a read-only analyst the packages but no way to upload, apply or remove one", async () => {
    serve(analystMe, "disconnected", {}, [pkg()]);
    renderApp(PATH);
    const remove = (await screen.findByRole("button", { name: `Remove ${pkg().fileName}` })) as HTMLButtonElement;
    expect(remove.disabled).toBe(true);
    expect((screen.getByRole("button", { name: "Upload and verify" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getAllByText(/Your role \(Read-only Analyst\) cannot import updates/).length).toBeGreaterThan(0);
  });
});
