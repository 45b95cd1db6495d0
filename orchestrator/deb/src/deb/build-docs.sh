#!/bin/sh
# Build step of the Debian packages (exec-maven-plugin, prepare-package): writes into the package root the files that
# Debian wants compressed or generated: /usr/share/doc/PACKAGE/{copyright,changelog.gz} and, when an AsciiDoc
# directory is given (CliDocs' output), the man pages in troff (asciidoctor), gzip -9n (no timestamp: reproducible).
#   build-docs.sh PACKAGE PROJECT_VERSION SRC_DIR PACKAGE_ROOT [ADOC_DIR]
set -eu
[ $# -ge 4 ] || { echo "usage: build-docs.sh PACKAGE PROJECT_VERSION SRC_DIR PACKAGE_ROOT [ADOC_DIR]" >&2; exit 2; }
pkg=$1 version=$2 src=$3 root=$4 adoc=${5:-}
# the Debian version jdeb makes of the project version: 0.1.0-SNAPSHOT -> 0.1.0~SNAPSHOT (sorts before 0.1.0)
debver=$(printf '%s' "$version" | sed 's/-SNAPSHOT$/~SNAPSHOT/')
doc="$root/usr/share/doc/$pkg"
mkdir -p "$doc"
install -m 0644 "$src/copyright" "$doc/copyright"
sed -e "s/@PACKAGE@/$pkg/" -e "s/@VERSION@/$debver/" "$src/changelog" | gzip -9n > "$doc/changelog.gz"
if [ -n "$adoc" ]; then
  man="$root/usr/share/man/man1"
  rm -rf "$man" && mkdir -p "$man"
  asciidoctor -b manpage -a reproducible -D "$man" "$adoc"/*.adoc
  gzip -9n "$man"/*.1
fi
