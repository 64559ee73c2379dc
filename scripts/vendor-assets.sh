#!/usr/bin/env bash
# Re-vendors the third-party browser assets from the npm registry at pinned versions: KaTeX,
# which the site serves (docs/assets/vendor/), and mermaid, which draws the diagrams before
# the build (scripts/vendor/mermaid/, not published). Both are committed, so building or
# reading the site needs neither npm nor the internet. Run this only to upgrade a version
# (then set mermaid's in hooks/diagrams.py, run python3 dev.py diagrams, and commit).
set -euo pipefail
KATEX=0.19.1
MERMAID=11.17.2   # also in hooks/diagrams.py, which names the drawings by it
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/docs/assets/vendor"
drawer="$root/scripts/vendor/mermaid"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "katex@$KATEX" "mermaid@$MERMAID" >/dev/null
rm -rf "$out/katex" "$drawer"
mkdir -p "$out/katex" "$drawer"
tar -xzf "katex-$KATEX.tgz"
cp package/dist/katex.min.js package/dist/katex.min.css package/LICENSE "$out/katex/"
cp -r package/dist/fonts "$out/katex/fonts"
rm -rf package
tar -xzf "mermaid-$MERMAID.tgz"
cp package/dist/mermaid.min.js "$drawer/"
cp package/LICENSE "$drawer/" 2>/dev/null || true
printf 'katex %s\n' "$KATEX" > "$out/VERSIONS"
printf 'mermaid %s\n' "$MERMAID" > "$drawer/VERSION"
