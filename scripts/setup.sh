#!/usr/bin/env bash
# make setup: idempotent. Creates .venv, installs the project with its test extras, and makes
# sure a Chromium that Playwright can drive, tesseract OCR (with the fin/est/pol/deu/swe
# language packs), poppler-utils and the DejaVu fonts exist. A second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV=.venv
say() { printf '[setup] %s\n' "$*"; }

# ---- Python environment ------------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.installed"
want="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing the project and its test extras into $VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e '.[test]'
  echo "$want" > "$stamp"
fi

# ---- System packages (Debian/Ubuntu, as root) ---------------------------------------------
can_apt=0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then can_apt=1; fi
missing=()

find_browser() {
  if [ -n "${BOTS_BROWSER:-}" ] && [ -x "${BOTS_BROWSER}" ]; then echo "$BOTS_BROWSER"; return; fi
  for c in /usr/lib/chromium/chromium /usr/bin/chromium /usr/bin/chromium-browser \
           /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
    if [ -x "$c" ]; then echo "$c"; return; fi
  done
  ls -d "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium*/chrome-linux*/chrome 2>/dev/null | head -1
}
browser="$(find_browser || true)"
[ -n "$browser" ] || missing+=(chromium)

have_tess_langs() {
  command -v tesseract >/dev/null 2>&1 || return 1
  local langs; langs="$(tesseract --list-langs 2>/dev/null || true)"
  for l in eng fin est pol deu swe; do grep -qx "$l" <<<"$langs" || return 1; done
}
have_tess_langs || missing+=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-fin tesseract-ocr-est tesseract-ocr-pol tesseract-ocr-deu tesseract-ocr-swe)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$can_apt" = 1 ]; then
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || say "apt-get update failed; trying the install anyway"
    # Chromium is required; OCR and fonts are best effort (the project degrades clearly).
    if [[ " ${missing[*]} " == *" chromium "* ]]; then
      apt-get install -y -qq chromium >/dev/null 2>&1 || say "apt-get could not install chromium"
    fi
    others=()
    for p in "${missing[@]}"; do [ "$p" = chromium ] || others+=("$p"); done
    if [ ${#others[@]} -gt 0 ]; then
      apt-get install -y -qq "${others[@]}" >/dev/null 2>&1 \
        || say "some optional packages could not be installed: ${others[*]} (OCR may be unavailable)"
    fi
  else
    say "not root or no apt-get: cannot install ${missing[*]} system-wide"
  fi
  browser="$(find_browser || true)"
fi

if [ -z "$browser" ]; then
  say "no system Chromium: installing Playwright's own"
  "$VENV/bin/python" -m playwright install chromium || {
    say "ERROR: no Chromium could be found or installed; set BOTS_BROWSER to a Chromium binary"
    exit 1
  }
  browser="$(find_browser || true)"
fi
say "browser: ${browser:-playwright default}"
if have_tess_langs; then say "OCR: $(tesseract --version 2>&1 | head -1)"; else say "OCR: unavailable (image-only PDFs will go to review)"; fi
