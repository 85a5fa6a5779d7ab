#!/bin/sh
# Prisma's CLI insists on a native schema engine even for `prisma generate`, which needs none. The engine cannot be
# downloaded on these machines; this stub satisfies the check and fails loudly if anything really calls it.
echo "Prisma's native schema engine is not available here; use 'pnpm db:migration' (see README)." >&2
exit 1
