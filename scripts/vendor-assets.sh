#!/usr/bin/env bash
# Re-vendors the site's third-party browser assets from the npm registry at pinned versions.
# The result is committed under docs/assets/vendor/, so building or reading the site needs
# neither npm nor the internet. Run this only to upgrade a version (then commit the change).
set -euo pipefail
KATEX=0.19.1
MERMAID=11.17.2   # Material for MkDocs 9.x integrates mermaid 11
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/docs/assets/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "katex@$KATEX" "mermaid@$MERMAID" >/dev/null
rm -rf "$out/katex" "$out/mermaid"
mkdir -p "$out/katex" "$out/mermaid"
tar -xzf "katex-$KATEX.tgz"
cp package/dist/katex.min.js package/dist/katex.min.css package/LICENSE "$out/katex/"
cp package/dist/contrib/auto-render.min.js "$out/katex/"
cp -r package/dist/fonts "$out/katex/fonts"
rm -rf package
tar -xzf "mermaid-$MERMAID.tgz"
cp package/dist/mermaid.min.js "$out/mermaid/"
cp package/LICENSE "$out/mermaid/" 2>/dev/null || true
printf 'katex %s\nmermaid %s\n' "$KATEX" "$MERMAID" > "$out/VERSIONS"
