// Products and classifications by GUID or by title ("Security Updates", "windows 11"), resolved against
// GET /api/categories, and their titles for output.
import { CategoryList, type CategoryDto } from "@syncpoint/contracts";
import type { ApiClient } from "./api.ts";
import { CliError } from "./io.ts";

export type CategoryKind = "product" | "classification";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isGuid = (value: string): boolean => GUID.test(value.trim());

/** Repeated and comma-separated values as one list: `--product a,b --product c` → [a, b, c]. */
export function splitList(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** A memo of the categories, fetched once per command and only when a title needs one. */
export class Categories {
  private all: Promise<CategoryDto[]> | undefined;

  constructor(private readonly api: ApiClient) {}

  list(): Promise<CategoryDto[]> {
    this.all ??= this.api.get("/categories", CategoryList).then((l) => l.items);
    return this.all;
  }

  /** GUIDs as they are (lower-cased); a title matched exactly, else by a unique substring, ignoring case. */
  async resolve(kind: CategoryKind, values: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const value of values) {
      if (isGuid(value)) {
        out.push(value.toLowerCase());
        continue;
      }
      const candidates = (await this.list()).filter((c) =>
        kind === "classification" ? c.type === "UpdateClassification" : c.type === "Product",
      );
      const wanted = value.toLowerCase();
      const exact = candidates.filter((c) => c.title.toLowerCase() === wanted);
      const partial = exact.length > 0 ? exact : candidates.filter((c) => c.title.toLowerCase().includes(wanted));
      if (partial.length === 1) {
        out.push(partial[0]!.id.toLowerCase());
        continue;
      }
      if (partial.length === 0) {
        throw new CliError(
          `no ${kind} is called "${value}" (give its GUID, or a title from GET /api/categories?type=${kind})`,
        );
      }
      const names = partial
        .slice(0, 8)
        .map((c) => `"${c.title}"`)
        .join(", ");
      throw new CliError(
        `"${value}" matches ${partial.length} ${kind === "product" ? "products" : "classifications"}: ${names}${partial.length > 8 ? ", …" : ""}; be more precise or give the GUID`,
      );
    }
    return out;
  }

  /** "Title (guid)", or the GUID alone when it is unknown or the categories cannot be read. */
  async describe(id: string): Promise<string> {
    try {
      const found = (await this.list()).find((c) => c.id.toLowerCase() === id.toLowerCase());
      return found ? `${found.title} (${id})` : id;
    } catch {
      return id;
    }
  }
}
