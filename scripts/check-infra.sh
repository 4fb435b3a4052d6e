#!/usr/bin/env bash
# npm run check:infra — type-checks sst.config.ts and infra/ offline (no AWS account needed).
#  1. `sst install` puts SST's platform (components, Pulumi AWS provider types) into .sst/;
#     skipped when .sst/platform/config.d.ts is newer than package-lock.json and sst.config.ts
#     (the sst version and the providers are what it depends on).
#  2. tsc with infra/tsconfig.json, which includes .sst/platform/config.d.ts.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
platform=.sst/platform/config.d.ts
if [[ -f $platform && $platform -nt package-lock.json && $platform -nt sst.config.ts ]]; then
  echo "check:infra: SST platform in .sst/ is up to date, skipping sst install"
else
  echo "check:infra: sst install --stage ci"
  SST_SKIP_DEPENDENCY_CHECK=true SST_NO_BUN=1 SST_TELEMETRY_DISABLED=1 \
    npx --no-install sst install --stage ci
  # sst install does not always rewrite an unchanged config.d.ts: mark the platform as fresh.
  touch "$platform"
fi

echo "check:infra: tsc -p infra/tsconfig.json"
npx --no-install tsc -p infra/tsconfig.json
echo "check:infra: passed in $((SECONDS - started)) s"
