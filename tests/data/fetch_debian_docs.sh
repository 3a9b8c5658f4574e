#!/usr/bin/env bash
# Fetch real documents nobody on the team wrote, for tests/test_debian_docs.py: the Debian FAQ
# as Debian's debian-faq package ships it (one HTML page a chapter, the whole FAQ as a PDF
# with roman-numbered front matter, and as text), unpacked into tests/data/debian/faq/.
# Not committed (see .gitignore). Needs apt-get (run `apt-get update` first on a fresh machine).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download debian-faq >/dev/null 2>&1)
dpkg-deb -x "$work"/debian-faq_*.deb "$work/unpacked"
source="$work/unpacked/usr/share/doc/debian/FAQ"
target="$here/debian/faq"
rm -rf "$target"
mkdir -p "$target"
cp "$source"/*.en.html "$target/"  # the unsuffixed .html names are symlinks to these
gunzip -c "$source/debian-faq.en.pdf.gz" > "$target/debian-faq.en.pdf"
gunzip -c "$source/debian-faq.en.txt.gz" > "$target/debian-faq.en.txt"
echo "Debian FAQ in $target: $(ls "$target" | wc -l) files"
