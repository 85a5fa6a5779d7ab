// Helpers shared by this package's tests: the real captures in shared/fixtures/wsusss beside the repository (see its
// README.md; CI checks out shared/ next to the clone; SYNCPOINT_SHARED_DIR points elsewhere), a seeded random
// source, and structural views of XML for comparing our messages with the captured ones. Not exported by index.ts.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseXml, type XmlElement } from "./xml.ts";

export const FIXTURES = process.env.SYNCPOINT_SHARED_DIR
  ? join(process.env.SYNCPOINT_SHARED_DIR, "fixtures/wsusss/")
  : fileURLToPath(new URL("../../../../shared/fixtures/wsusss/", import.meta.url));

export interface Exchange {
  requestBody: string;
  responseBody: string;
  status: number;
  soapAction: string;
  path: string;
}

/** One captured exchange, e.g. exchange("000005") or exchange("000004", "exchanges-client"). */
export function exchange(id: string, set: "exchanges" | "exchanges-client" = "exchanges"): Exchange {
  const dir = join(FIXTURES, set, id);
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as {
    status: number;
    soap_action: string;
    path: string;
  };
  return {
    requestBody: readFileSync(join(dir, "request.body"), "utf8"),
    responseBody: readFileSync(join(dir, "response.body"), "utf8"),
    status: meta.status,
    soapAction: meta.soap_action,
    path: meta.path,
  };
}

export function realDocuments(): { file: string; xml: string }[] {
  const dir = join(FIXTURES, "docs");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".xml"))
    .sort()
    .map((file) => ({ file, xml: readFileSync(join(dir, file), "utf8") }));
}

export function realDocument(prefix: string): string {
  const found = realDocuments().find((d) => d.file.startsWith(prefix));
  if (!found) throw new Error(`no document ${prefix}`);
  return found.xml;
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Shape {
  name: string;
  children: Shape[];
}

/**
 * The element structure: `{namespace}local` names and order, no text, no attributes. Runs of siblings with the same
 * name collapse to one (the first), so lists of different lengths compare equal; an empty list stays empty.
 */
export function shape(xml: string | XmlElement): Shape {
  const element = typeof xml === "string" ? parseXml(xml) : xml;
  const children: Shape[] = [];
  for (const child of element.children) {
    const last = children[children.length - 1];
    const s = shape(child);
    if (last && last.name === s.name) continue;
    children.push(s);
  }
  return { name: `{${element.ns}}${element.local}`, children };
}

export interface Tree {
  name: string;
  text: string;
  children: Tree[];
}

/** The full element tree with text (trimmed), for comparing requests; `blank` names elements whose text is ignored. */
export function tree(xml: string | XmlElement, blank: readonly string[] = []): Tree {
  const element = typeof xml === "string" ? parseXml(xml) : xml;
  return {
    name: `{${element.ns}}${element.local}`,
    text: blank.includes(element.local) ? "" : element.text.trim(),
    children: element.children.map((c) => tree(c, blank)),
  };
}
