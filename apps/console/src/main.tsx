// First: before @syncpoint/contracts defines its schemas (see zod-jitless.ts).
import "./zod-jitless.ts";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "./styles/console.css";
import { createQueryClient } from "./api/query-client.ts";
import { App } from "./App.tsx";
import { rememberedLocale, setLocale } from "./i18n/index.ts";

// Before sign-in: the language last chosen in this browser, else the browser's languages. Once signed in, the user's
// chosen language (me.locale) wins.
const browserLocales = navigator.languages.length > 0 ? navigator.languages : [navigator.language];
const remembered = rememberedLocale();
void setLocale(remembered ? [remembered, ...browserLocales] : browserLocales);

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <App queryClient={createQueryClient()} />
  </StrictMode>,
);
