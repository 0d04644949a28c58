#!/bin/sh
# Install the Debian packages memcgfs needs, when run as root and missing.
# Build: libfuse3 (3.14), liburcu, jansson.  Tests: bats, fuse3, jq.
# Benchmarks: lxcfs and the peer allocators.
set -eu
PKGS="gcc make pkg-config libfuse3-dev fuse3 liburcu-dev libjansson-dev bats jq
      lxcfs libjemalloc-dev libmimalloc-dev libgoogle-perftools-dev"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "memcgfs: missing Debian packages:$missing (run as root, or apt-get install them)" >&2
	exit 0
fi
echo "memcgfs: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
