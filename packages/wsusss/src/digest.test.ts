import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { computeCatalogDigest, parseDigestFilter } from "./digest.ts";

describe("computeCatalogDigest", () => {
  it("hashes the sorted lower-cased lines, whatever the input order and case", () => {
    const a = computeCatalogDigest([
      { updateId: "B0000000-0000-0000-0000-000000000002", revisionNumber: 201 },
      { updateId: "a0000000-0000-0000-0000-000000000001", revisionNumber: 100 },
    ]);
    const b = computeCatalogDigest([
      { updateId: "a0000000-0000-0000-0000-000000000001", revisionNumber: 100 },
      { updateId: "b0000000-0000-0000-0000-000000000002", revisionNumber: 201 },
    ]);
    const expected = createHash("sha256")
      .update("a0000000-0000-0000-0000-000000000001,100\nb0000000-0000-0000-0000-000000000002,201\n")
      .digest("hex");
    expect(a).toEqual({ count: 2, digest: expected });
    expect(b).toEqual(a);
  });

  it("differs when a revision number differs", () => {
    const one = computeCatalogDigest([{ updateId: "a0000000-0000-0000-0000-000000000001", revisionNumber: 100 }]);
    const two = computeCatalogDigest([{ updateId: "a0000000-0000-0000-0000-000000000001", revisionNumber: 101 }]);
    expect(one.digest).not.toBe(two.digest);
  });

  it("digests an empty catalog as the hash of nothing", () => {
    expect(computeCatalogDigest([])).toEqual({
      count: 0,
      digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    });
  });
});

describe("parseDigestFilter", () => {
  it("splits, trims, lower-cases, de-duplicates and sorts", () => {
    expect(
      parseDigestFilter({
        products:
          " A3C2375D-0C8A-42F9-BCE0-28333E198407,72e7624a-5b00-45d2-b92f-e561c0a6a160,a3c2375d-0c8a-42f9-bce0-28333e198407",
        languages: "en,DE,,en",
      }),
    ).toEqual({
      products: ["72e7624a-5b00-45d2-b92f-e561c0a6a160", "a3c2375d-0c8a-42f9-bce0-28333e198407"],
      classifications: [],
      languages: ["de", "en"],
    });
  });

  it("names the parameter holding a value that is not a GUID", () => {
    expect(() => parseDigestFilter({ classifications: "0fa1201d-4330-4fa8-8ae9-b877473b6441,security" })).toThrow(
      'classifications: "security" is not a GUID',
    );
  });
});
