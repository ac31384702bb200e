#!/usr/bin/env bash
# Prints the README's "Where each key lands" table from `kiln explain KEY --format json`, for every key of schema 1.14.
# Usage: scripts/key-landings.sh [path/to/kiln] > table.md   (regenerate after a change to what a key does)
set -euo pipefail
kiln=${1:-.build/debug/kiln}
echo "| key | lands in (first objects; \`kiln explain KEY\` lists all) |"
echo "|---|---|"
"$kiln" explain --list-keys | while read -r key; do
  "$kiln" explain "$key" --format json | python3 -c '
import json, sys
key = sys.argv[1]
d = json.load(sys.stdin).get("landing") or {}
r = d.get("result")
if r == "lands":
    t = d["targets"]
    names = ", ".join("%s %s" % (x["kind"], x["name"]) + (" (" + x["fields"][0].replace("|", "\\|") + ")" if x["fields"] else "") for x in t[:2])
    more = " and %d more" % (len(t) - 2) if len(t) > 2 else ""
    print("| `%s` | %s%s |" % (key.replace("|", "\\|"), names, more))
elif r == "inert":
    print("| `%s` | nothing, by design: %s |" % (key, d.get("reason", "")))
elif r == "no-effect":
    print("| `%s` | no change of it alone moves the render: it goes with other keys (switching plane needs several) |" % key)
else:
    print("| `%s` | not shown by the built-in examples (%s) |" % (key, r))
' "$key"
done
