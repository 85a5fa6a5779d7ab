import { z } from "zod";

/** `?page=` (1-based) `&pageSize=` (1–500, default 50) `&sort=field|-field`, as every list takes them. */
export function pageQuery<const F extends readonly [string, ...string[]]>(
  sortFields: F,
  defaultSort: `${F[number]}` | `-${F[number]}`,
) {
  const sortValues = [...sortFields, ...sortFields.map((f) => `-${f}`)] as [string, ...string[]];
  return z.object({
    page: z.coerce.number().int().min(1, "page starts at 1").max(1_000_000).default(1),
    pageSize: z.coerce.number().int().min(1, "pageSize is 1–500").max(500, "pageSize is 1–500").default(50),
    sort: z.enum(sortValues, { error: `sort is one of ${sortValues.join(", ")}` }).default(defaultSort),
  });
}

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().min(0),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
  });
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
