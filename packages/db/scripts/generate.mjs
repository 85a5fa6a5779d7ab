// Generates the Prisma client from prisma/schema.prisma without Prisma's engine download (see TOOLCHAIN.md).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const prismaCli = require.resolve("prisma/build/index.js");
const stub = fileURLToPath(new URL("./schema-engine-stub.sh", import.meta.url));
const schema = fileURLToPath(new URL("../../../prisma/schema.prisma", import.meta.url));

const result = spawnSync(process.execPath, [prismaCli, "generate", "--schema", schema], {
  cwd: fileURLToPath(new URL("..", import.meta.url)),
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: stub,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);
