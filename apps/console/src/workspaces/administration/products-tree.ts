// The Products tab: the catalog's Company → Product family → Product categories as a tree built from parentIds.
import type { CategoryDto } from "@syncpoint/contracts";

export interface ProductFamilyNode {
  category: CategoryDto | null;
  products: CategoryDto[];
}

export interface CompanyNode {
  category: CategoryDto;
  families: ProductFamilyNode[];
}

const byTitle = (a: { title: string }, b: { title: string }) => a.title.localeCompare(b.title);

/**
 * Companies, their product families and the families' products, each level by title. A product whose parent is a
 * company directly sits in a family without a category (`category: null`); one with no known parent is left out.
 * A product under several families appears under each.
 */
export function buildProductTree(categories: readonly CategoryDto[]): CompanyNode[] {
  const companies = categories.filter((c) => c.type === "Company").sort(byTitle);
  const families = categories.filter((c) => c.type === "ProductFamily").sort(byTitle);
  const products = categories.filter((c) => c.type === "Product").sort(byTitle);
  return companies
    .map((company) => {
      const ownFamilies: ProductFamilyNode[] = families
        .filter((family) => family.parentIds.includes(company.id))
        .map((family) => ({ category: family, products: products.filter((p) => p.parentIds.includes(family.id)) }));
      const direct = products.filter((p) => p.parentIds.includes(company.id));
      if (direct.length > 0) ownFamilies.push({ category: null, products: direct });
      return { category: company, families: ownFamilies };
    })
    .filter((company) => company.families.length > 0);
}

/** The tree limited to products whose title (or whose family's or company's title) contains `search`. */
export function filterProductTree(tree: readonly CompanyNode[], search: string): CompanyNode[] {
  const needle = search.trim().toLocaleLowerCase();
  if (needle === "") return [...tree];
  const matches = (c: CategoryDto | null) => !!c && c.title.toLocaleLowerCase().includes(needle);
  return tree
    .map((company) => ({
      category: company.category,
      families: company.families
        .map((family) => ({
          category: family.category,
          products:
            matches(company.category) || matches(family.category)
              ? family.products
              : family.products.filter((p) => matches(p)),
        }))
        .filter((family) => family.products.length > 0),
    }))
    .filter((company) => company.families.length > 0);
}
