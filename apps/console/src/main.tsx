import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "./styles/console.css";
import { createQueryClient } from "./api/query-client.ts";
import { App } from "./App.tsx";
import { setLocale } from "./i18n/index.ts";

// Before sign-in, follow the browser's languages; once signed in, the user's locale (me.locale) wins.
void setLocale(navigator.languages.length > 0 ? navigator.languages : [navigator.language]);

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <App queryClient={createQueryClient()} />
  </StrictMode>,
);
