#!/usr/bin/env bash
# The README's embedding example is backend-agent/examples/embed_agent.cpp word for word, and
# that program builds (CMake target embed_agent), runs, and rejects a bad configuration.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:?usage: readme_example_test.sh EMBED_AGENT_BINARY}
fail() { echo "FAIL: $*" >&2; exit 1; }

block=$(awk '/<!-- example: backend-agent\/examples\/embed_agent.cpp -->/{found=1; next}
             found && /^```cpp/{inside=1; next}
             inside && /^```/{exit}
             inside{print}' "$root/README.md")
[ -n "$block" ] || fail "README.md has no example block"
diff <(echo "$block") "$root/backend-agent/examples/embed_agent.cpp" \
  || fail "README.md's example differs from backend-agent/examples/embed_agent.cpp"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '{"name": "readme", "role": "viewer", "token": "%s"}' "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$work/viewer.json"
chmod 600 "$work/viewer.json" # the agent refuses a token file other users can read
printf '{"service": "checkout", "listen": "127.0.0.1:0", "token_files": ["%s"]}' "$work/viewer.json" >"$work/agent.json"
output=$("$binary" "$work/agent.json")
grep -Eq '^agent on port [1-9][0-9]*$' <<<"$output" || fail "unexpected output: $output"

printf '{"listen": "127.0.0.1:http", "token_files": ["%s"]}' "$work/viewer.json" >"$work/bad.json"
set +e
output=$("$binary" "$work/bad.json" 2>&1)
code=$?
set -e
[ $code -eq 2 ] || fail "a bad configuration exited $code, not 2"
grep -q "bad configuration: listen:" <<<"$output" || fail "the error does not name the key: $output"
echo PASS
