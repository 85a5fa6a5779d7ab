import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The Express server serves `dist/` at `/`, the API under `/api` and socket.io under `/socket.io` on the same origin. In
// development, Vite serves the console and forwards `/api` and `/socket.io` (HTTP and WebSocket upgrades) to a server
// started with `pnpm start` on port 8080.
// `changeOrigin` stays false: the server's CSRF guard compares Origin with Host, and both then name the Vite server.
const vendorChunk = (packages: string[]) => new RegExp(`[\\\\/]node_modules[\\\\/](${packages.join("|")})[\\\\/]`);

export default defineConfig({
  base: "/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    rolldownOptions: {
      output: {
        // Libraries change less often than the console: separate chunks stay cached across console releases.
        // Workspaces are split off by their dynamic imports (React.lazy) and load on first visit.
        codeSplitting: {
          groups: [
            { name: "react", test: vendorChunk(["react", "react-dom", "scheduler"]), priority: 30 },
            { name: "router", test: vendorChunk(["react-router", "cookie", "set-cookie-parser"]), priority: 20 },
            { name: "query", test: vendorChunk(["@tanstack"]), priority: 20 },
            {
              name: "i18n",
              test: vendorChunk(["i18next", "react-i18next", "html-parse-stringify", "void-elements"]),
              priority: 20,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      "/api": { target: "http://localhost:8080", ws: true },
      "/socket.io": { target: "http://localhost:8080", ws: true },
    },
  },
});
