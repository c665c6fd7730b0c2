#!/usr/bin/env bash
# Refresh the vendored JavaScript in ../static/vendor/ from the versions pinned in package-lock.json.
# Only maintainers run this; the package ships the copied files, so no npm at run or test time.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
out=../static/vendor
mkdir -p "$out"
cp node_modules/sigma/dist/sigma.min.js "$out/sigma.min.js"
cp node_modules/graphology/dist/graphology.umd.min.js "$out/graphology.umd.min.js"
cp node_modules/axe-core/axe.min.js "$out/axe.min.js"
for pkg in sigma graphology axe-core; do
  echo "$pkg $(node -p "require('./node_modules/$pkg/package.json').version")"
done > "$out/VERSIONS"
