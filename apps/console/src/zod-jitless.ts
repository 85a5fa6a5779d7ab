// Imported first by main.tsx, before any schema exists. zod compiles its object parsers with `new Function` when it
// can, and finds out by trying; the server's Content-Security-Policy allows no eval (`script-src 'self'`), so that try
// would be refused and reported as a CSP violation on every page load. Parsing without compiling is fast enough for
// the console's payloads.
import { z } from "zod";

z.config({ jitless: true });
