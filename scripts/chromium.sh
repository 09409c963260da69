#!/usr/bin/env bash
# The browser of the console's end-to-end tests: Debian's `chromium` package, installed with apt-get when
# /usr/bin/chromium is missing. Playwright's own browser downloads are never used (playwright-core ships
# none); the tests drive this binary. Prints the binary's path.
set -euo pipefail

browser=${CHROMIUM_PATH:-/usr/bin/chromium}
if [[ ! -x $browser ]]; then
  command -v apt-get >/dev/null || { echo "chromium: $browser is missing and apt-get is not available" >&2; exit 1; }
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  echo "chromium: installing Debian's chromium package" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq >&2
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
fi
echo "$browser"
