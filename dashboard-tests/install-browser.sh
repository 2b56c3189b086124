#!/usr/bin/env bash
# Installs the browser the dashboard's browser tests drive: Debian's chromium and chromium-driver
# (/usr/bin/chromium, /usr/bin/chromedriver). Does nothing when both are there. Called by .ci/run before Maven, and by
# the tests themselves (DashboardStack) when the binaries are missing. Needs apt-get, and root or sudo.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

if [[ -x $CHROMIUM && -x $CHROMEDRIVER ]]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser.sh: no apt-get here; install Chromium and its ChromeDriver so that $CHROMIUM and" \
        "$CHROMEDRIVER exist (Debian/Ubuntu: apt-get install chromium chromium-driver)" >&2
    exit 1
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "install-browser.sh: not root and no sudo; run as root: apt-get install -y chromium chromium-driver" >&2
        exit 1
    fi
    as_root=(sudo -n)
fi

export DEBIAN_FRONTEND=noninteractive
install() {
    "${as_root[@]}" apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-liberation
}

echo "install-browser.sh: installing chromium and chromium-driver (apt-get)" >&2
if ! install; then
    # a fresh machine has no package lists yet, or stale ones: refresh them once and try again
    "${as_root[@]}" apt-get update -q
    install
fi

if [[ ! -x $CHROMIUM || ! -x $CHROMEDRIVER ]]; then
    echo "install-browser.sh: apt-get finished but $CHROMIUM or $CHROMEDRIVER is missing" >&2
    exit 1
fi
"$CHROMEDRIVER" --version >&2
