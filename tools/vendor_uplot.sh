#!/bin/sh
# Vendor uPlot (MIT) into the package, so `nakpump serve` works offline with no CDN and no build step.
# Usage: tools/vendor_uplot.sh [VERSION]   (default 1.6.32; needs npm)
set -eu
VERSION="${1:-1.6.32}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/nakpump/serve/static/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "uplot@$VERSION" >/dev/null)
tar -xzf "$TMP"/uplot-"$VERSION".tgz -C "$TMP"
mkdir -p "$DEST"
cp "$TMP/package/dist/uPlot.iife.min.js" "$DEST/uPlot.iife.min.js"
cp "$TMP/package/dist/uPlot.min.css" "$DEST/uPlot.min.css"
cp "$TMP/package/LICENSE" "$DEST/uPlot.LICENSE"
printf 'uPlot %s from npm (https://www.npmjs.com/package/uplot), MIT licence: see uPlot.LICENSE.\nRefresh with tools/vendor_uplot.sh %s\n' "$VERSION" "$VERSION" > "$DEST/README.txt"
echo "uPlot $VERSION vendored into $DEST"
