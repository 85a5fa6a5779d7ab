import "i18next";
import type enUS from "./locales/en-US.json";

// Keys are checked at compile time against en-US, the source language; other locales are sibling files.
declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof enUS };
  }
}
