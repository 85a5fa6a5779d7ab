// The well-known update classification GUIDs (domain.md §3). An update names its classification only as a
// category prerequisite, indistinguishable on the wire from its product: this table is how we tell them apart.

export interface Classification {
  id: string;
  title: string;
}

export const CLASSIFICATIONS: readonly Classification[] = [
  { id: "5c9376ab-8ce6-464a-b136-22113dd69801", title: "Applications" },
  { id: "434de588-ed14-48f5-8eed-a15e09a991f6", title: "Connectors" },
  { id: "e6cf1350-c01b-414d-a61f-263d14d133b4", title: "Critical Updates" },
  { id: "e0789628-ce08-4437-be74-2495b842f43b", title: "Definition Updates" },
  { id: "e140075d-8433-45c3-ad87-e72345b36078", title: "Developer Kits" },
  { id: "ebfc1fc5-71a4-4f7b-9aca-3b9a503104a0", title: "Drivers" },
  { id: "b54e7d24-7add-428f-8b75-90a396fa584f", title: "Feature Packs" },
  { id: "9511d615-35b2-47bb-927f-f73d8e9260bb", title: "Guidance" },
  { id: "0fa1201d-4330-4fa8-8ae9-b877473b6441", title: "Security Updates" },
  { id: "68c5b0a3-d1a6-4553-ae49-01d3a7827828", title: "Service Packs" },
  { id: "b4832bd8-e735-4761-8daf-37f882276dab", title: "Tools" },
  { id: "28bc880e-0592-4cbf-8f95-c79b17911d5f", title: "Update Rollups" },
  { id: "cd5ffd1e-e932-4e3a-bf74-18bf0b1bbd83", title: "Updates" },
  { id: "3689bdc8-b205-4af4-8d4a-a63924c5e9d5", title: "Upgrades" },
];

const CLASSIFICATION_IDS = new Set(CLASSIFICATIONS.map((c) => c.id));

/** True for a well-known classification GUID, in either case. */
export function isClassificationId(id: string): boolean {
  return CLASSIFICATION_IDS.has(id.toLowerCase());
}
