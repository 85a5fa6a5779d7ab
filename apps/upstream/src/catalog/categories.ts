// The category tree the upstream serves: Microsoft → product families → products, plus the update classifications.
// Real GUIDs where domain.md §3 knows them (key products by GUID, never by title); the rest are stable made-up ones.
import type { CategoryType } from "@syncpoint/wsusss";

export interface CategoryDef {
  id: string;
  title: string;
  type: CategoryType;
  parentId?: string;
}

export const MICROSOFT = "56309036-4c77-4dd9-951a-99ee9c246a94";

export const FAMILIES = {
  windows: "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d",
  office: "477b856e-65c4-4473-b621-a8b230bb70d9",
  sqlServer: "0a4c6c73-8887-4d7f-9cbe-d08fa8fa9d1e",
  developerTools: "48ce8c86-6850-4f68-8e9d-7dc8535ced60",
  defender: "8b24b027-1dee-babb-9a95-3517dfb9c552",
  edge: "d6fa4cbc-6ce5-4d1e-aa4f-7a6d9f3c8b72",
} as const;

export const PRODUCTS = {
  windows10: "a3c2375d-0c8a-42f9-bce0-28333e198407",
  windows10v1903: "b3c75dc1-155f-4be4-b015-3f1a91758e52",
  windows11: "72e7624a-5b00-45d2-b92f-e561c0a6a160",
  server2016: "569e8e8f-c6cd-42c8-92a3-efbb20a0f6f5",
  server2019: "f702a48c-919b-45d6-9aef-ca4248d50397",
  server2022: "71718f13-7324-4b0f-8f9e-2ca9dc978e53",
  server2025: "b256987d-4693-4c87-955d-dbb9341205eb",
  m365Apps: "30eb551c-6288-4716-9a78-f300ec36d72b",
  office2016: "25aed893-7c2d-4a31-ae22-28ff8ac150ed",
  sql2017: "ca6616aa-6310-4c2d-a6bf-cae700b85e86",
  sql2019: "97b8b817-fce1-44e4-ac26-61127d4604c0",
  sql2022: "aeefa997-63b8-4c01-b19c-c19e1081b4ce",
  edge: "69010383-ff55-4227-bd6c-d91c26f2643b",
  defenderAntivirus: "8c3fcc84-7410-4a95-8b89-a166a0190486",
  dotnet8: "64ccdfc7-8e8c-4404-a572-a3daf7dff673",
} as const;

export const CLASSIFICATION_IDS = {
  applications: "5c9376ab-8ce6-464a-b136-22113dd69801",
  connectors: "434de588-ed14-48f5-8eed-a15e09a991f6",
  criticalUpdates: "e6cf1350-c01b-414d-a61f-263d14d133b4",
  definitionUpdates: "e0789628-ce08-4437-be74-2495b842f43b",
  developerKits: "e140075d-8433-45c3-ad87-e72345b36078",
  drivers: "ebfc1fc5-71a4-4f7b-9aca-3b9a503104a0",
  featurePacks: "b54e7d24-7add-428f-8b75-90a396fa584f",
  guidance: "9511d615-35b2-47bb-927f-f73d8e9260bb",
  securityUpdates: "0fa1201d-4330-4fa8-8ae9-b877473b6441",
  servicePacks: "68c5b0a3-d1a6-4553-ae49-01d3a7827828",
  tools: "b4832bd8-e735-4761-8daf-37f882276dab",
  updateRollups: "28bc880e-0592-4cbf-8f95-c79b17911d5f",
  updates: "cd5ffd1e-e932-4e3a-bf74-18bf0b1bbd83",
  upgrades: "3689bdc8-b205-4af4-8d4a-a63924c5e9d5",
} as const;

const CLASSIFICATION_TITLES: Record<keyof typeof CLASSIFICATION_IDS, string> = {
  applications: "Applications",
  connectors: "Connectors",
  criticalUpdates: "Critical Updates",
  definitionUpdates: "Definition Updates",
  developerKits: "Developer Kits",
  drivers: "Drivers",
  featurePacks: "Feature Packs",
  guidance: "Guidance",
  securityUpdates: "Security Updates",
  servicePacks: "Service Packs",
  tools: "Tools",
  updateRollups: "Update Rollups",
  updates: "Updates",
  upgrades: "Upgrades",
};

export const CATEGORIES: readonly CategoryDef[] = [
  { id: MICROSOFT, title: "Microsoft", type: "Company" },
  { id: FAMILIES.windows, title: "Windows", type: "ProductFamily", parentId: MICROSOFT },
  { id: FAMILIES.office, title: "Office", type: "ProductFamily", parentId: MICROSOFT },
  { id: FAMILIES.sqlServer, title: "SQL Server", type: "ProductFamily", parentId: MICROSOFT },
  {
    id: FAMILIES.developerTools,
    title: "Developer Tools, Runtimes, and Redistributables",
    type: "ProductFamily",
    parentId: MICROSOFT,
  },
  { id: FAMILIES.defender, title: "Microsoft Defender Antivirus", type: "ProductFamily", parentId: MICROSOFT },
  { id: FAMILIES.edge, title: "Microsoft Edge", type: "ProductFamily", parentId: MICROSOFT },
  { id: PRODUCTS.windows10, title: "Windows 10", type: "Product", parentId: FAMILIES.windows },
  {
    id: PRODUCTS.windows10v1903,
    title: "Windows 10, version 1903 and later",
    type: "Product",
    parentId: FAMILIES.windows,
  },
  { id: PRODUCTS.windows11, title: "Windows 11", type: "Product", parentId: FAMILIES.windows },
  { id: PRODUCTS.server2016, title: "Windows Server 2016", type: "Product", parentId: FAMILIES.windows },
  { id: PRODUCTS.server2019, title: "Windows Server 2019", type: "Product", parentId: FAMILIES.windows },
  {
    id: PRODUCTS.server2022,
    title: "Microsoft Server operating system-21H2",
    type: "Product",
    parentId: FAMILIES.windows,
  },
  {
    id: PRODUCTS.server2025,
    title: "Microsoft Server Operating System-24H2",
    type: "Product",
    parentId: FAMILIES.windows,
  },
  {
    id: PRODUCTS.m365Apps,
    title: "Microsoft 365 Apps/Office 2019/Office LTSC",
    type: "Product",
    parentId: FAMILIES.office,
  },
  { id: PRODUCTS.office2016, title: "Office 2016", type: "Product", parentId: FAMILIES.office },
  { id: PRODUCTS.sql2017, title: "Microsoft SQL Server 2017", type: "Product", parentId: FAMILIES.sqlServer },
  { id: PRODUCTS.sql2019, title: "Microsoft SQL Server 2019", type: "Product", parentId: FAMILIES.sqlServer },
  { id: PRODUCTS.sql2022, title: "Microsoft SQL Server 2022", type: "Product", parentId: FAMILIES.sqlServer },
  { id: PRODUCTS.edge, title: "Microsoft Edge", type: "Product", parentId: FAMILIES.edge },
  {
    id: PRODUCTS.defenderAntivirus,
    title: "Microsoft Defender Antivirus",
    type: "Product",
    parentId: FAMILIES.defender,
  },
  { id: PRODUCTS.dotnet8, title: ".NET 8.0", type: "Product", parentId: FAMILIES.developerTools },
  ...Object.entries(CLASSIFICATION_IDS).map(([key, id]) => ({
    id,
    title: CLASSIFICATION_TITLES[key as keyof typeof CLASSIFICATION_IDS],
    type: "UpdateClassification" as const,
  })),
];
