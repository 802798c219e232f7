#!/usr/bin/env bash
# The docs hold together: every relative link and picture in README.md and docs/*.md names a file
# that exists, and every picture the user guide shows is one `scripts/demo --screenshot` makes
# (so rerunning it with docs/screenshots as the folder refreshes the whole guide).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

for page in "$root/README.md" "$root"/docs/*.md; do
  dir=$(dirname "$page")
  # ](target) and ](target "title"), outside code blocks; web links and in-page anchors skipped.
  while IFS= read -r target; do
    path=${target%%#*}
    [ -z "$path" ] && continue
    [ -e "$dir/$path" ] || fail "${page#"$root"/} links to $target, which does not exist"
  done < <(awk '/^```/{code=!code; next} !code' "$page" |
           grep -o '](\([^)]*\))' | sed -e 's/^](//' -e 's/)$//' -e 's/ .*//' |
           grep -Ev '^(https?:|mailto:|#)' || true)
done

# The names the demo's screenshot run writes: the console's --screenshot steps and the script's.
made=$(cat "$root/app/ScreenshotTaker.cpp" "$root/app/DrillScreenshots.cpp" "$root/scripts/demo" |
       grep -o '[a-z0-9-]*\.png' | sort -u)
while IFS= read -r picture; do
  grep -qx "$picture" <<<"$made" ||
    fail "docs/guide.md shows $picture, which scripts/demo --screenshot does not make"
done < <(grep -o 'screenshots/[a-z0-9-]*\.png' "$root/docs/guide.md" | sed 's|screenshots/||' | sort -u)

[ "$failures" -eq 0 ] || exit 1
echo "docs: links and the guide's pictures hold"
