#!/bin/sh
# Install the Debian packages memcgfs needs, when run as root and missing.
#   tools/install-deps.sh            what make run and make test need:
#                                    build (libfuse3 3.14, liburcu, jansson)
#                                    and tests (bats, fuse3, jq)
#   tools/install-deps.sh --bench    also make bench's peers: lxcfs and
#                                    the allocators it compares against
#   tools/install-deps.sh --list [--bench]   print the list, install nothing
set -eu
BASE="gcc make pkg-config libfuse3-dev fuse3 liburcu-dev libjansson-dev bats jq"
BENCH="lxcfs libjemalloc-dev libmimalloc-dev libgoogle-perftools-dev"
PKGS=$BASE list=0
for a in "$@"; do
	case $a in
	--bench) PKGS="$BASE $BENCH" ;;
	--list) list=1 ;;
	-h | --help) sed -n '2,8s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "install-deps.sh: unknown argument '$a' (--bench, --list)" >&2; exit 2 ;;
	esac
done
if [ "$list" -eq 1 ]; then
	echo "$PKGS"
	exit 0
fi
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
