#!/bin/sh
# Build check of the Debian packages (exec-maven-plugin, verify): lintian on DIR/PACKAGE_*.deb must report no error
# and no warning; the accepted findings are the package's overrides (/usr/share/lintian/overrides/PACKAGE, with the
# reason for each). Info tags are printed, not failed on.
#   lintian.sh DIR PACKAGE
set -eu
deb=$(ls "$1/$2"_*_all.deb)
out=$(lintian --fail-on error,warning --display-info --no-tag-display-limit "$deb" 2>&1) || { printf '%s\n' "$out" >&2; echo "lintian: $deb has errors or warnings" >&2; exit 1; }
[ -z "$out" ] || printf '%s\n' "$out"
echo "lintian: $deb clean"
