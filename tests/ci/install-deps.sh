#!/bin/sh
# Tests of ci/install-deps.sh --ensure, the set-up every make target runs first: with
# stand-ins for id, dpkg-query, dpkg and apt-get on PATH, check what it does as root
# and as another user, with everything present and with a package missing.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir "$t/bin"

# id -u prints $FAKE_UID; dpkg-query says every package is installed but those in
# $FAKE_MISSING; dpkg knows the foreign architectures in $FAKE_ARCHES and records
# --add-architecture; apt-get records its arguments and environment.
cat >"$t/bin/id" <<'S'
#!/bin/sh
echo "$FAKE_UID"
S
cat >"$t/bin/dpkg-query" <<'S'
#!/bin/sh
for p; do :; done
case " $FAKE_MISSING " in *" $p "*) exit 1 ;; esac
echo "install ok installed"
S
cat >"$t/bin/dpkg" <<'S'
#!/bin/sh
case $1 in
--print-foreign-architectures) for a in $FAKE_ARCHES; do echo "$a"; done ;;
--add-architecture) echo "dpkg $*" >>"$FAKE_LOG" ;;
esac
S
cat >"$t/bin/apt-get" <<'S'
#!/bin/sh
echo "apt-get DEBIAN_FRONTEND=$DEBIAN_FRONTEND $*" >>"$FAKE_LOG"
S
chmod +x "$t/bin/"*
export FAKE_LOG="$t/log"

pass=0 fail=0
check() { # check NAME EXPECTED-RC EXPECTED-OUTPUT UID MISSING ARCHES ARGS...
	name=$1 erc=$2 eout=$3
	shift 3
	export FAKE_UID=$1 FAKE_MISSING=$2 FAKE_ARCHES=$3
	shift 3
	: >"$FAKE_LOG"
	out=$(PATH="$t/bin:$PATH" sh "$top/ci/install-deps.sh" "$@" 2>&1)
	rc=$?
	out=$(printf '%s\n' "$out" && cat "$FAKE_LOG")
	if [ "$rc" = "$erc" ] && [ "$out" = "$(printf '%s\n' "$eout")" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		printf 'FAIL %s: exit %s (want %s), output:\n%s\nwant:\n%s\n' "$name" "$rc" "$erc" \
			"$out" "$eout"
	fi
}

check "all present: silent" 0 "" 1000 "" "s390x" --ensure build s390x
check "missing, not root: one line, the command" 1 \
	"pvboot: missing packages: musl-tools; run as root: bash ci/install-deps.sh build" \
	1000 "musl-tools" "" --ensure build
check "missing foreign architecture, not root" 1 \
	"pvboot: missing packages: (architecture s390x); run as root: bash ci/install-deps.sh s390x" \
	1000 "" "" --ensure s390x
check "missing, root: installs without asking" 0 \
	"install-deps: installing: clang
install-deps: done
apt-get DEBIAN_FRONTEND=noninteractive -o DPkg::Lock::Timeout=600 -q update -qq
apt-get DEBIAN_FRONTEND=noninteractive -o DPkg::Lock::Timeout=600 -q install -y -qq --no-install-recommends clang libclang-rt-14-dev" \
	0 "clang" "s390x" --ensure clang
check "root adds the s390x architecture" 0 \
	"install-deps: installing: (architecture s390x)
install-deps: done
dpkg --add-architecture s390x
apt-get DEBIAN_FRONTEND=noninteractive -o DPkg::Lock::Timeout=600 -q update -qq
apt-get DEBIAN_FRONTEND=noninteractive -o DPkg::Lock::Timeout=600 -q install -y -qq --no-install-recommends gcc-s390x-linux-gnu libc6-dev-s390x-cross qemu-user-static musl-dev:s390x" \
	0 "" "" --ensure s390x
check "pkg group: the packaging tools and the lifecycle test's mmdebstrap" 0 \
	"install-deps: installing: rpm rpmlint
install-deps: done
apt-get DEBIAN_FRONTEND=noninteractive -o DPkg::Lock::Timeout=600 -q update -qq
apt-get DEBIAN_FRONTEND=noninteractive -o DPkg::Lock::Timeout=600 -q install -y -qq --no-install-recommends debhelper lintian rpm rpmlint mmdebstrap" \
	0 "rpm rpmlint" "" --ensure pkg
check "pkg group, not root: one line" 1 \
	"pvboot: missing packages: lintian; run as root: bash ci/install-deps.sh build pkg" \
	1000 "lintian" "" --ensure build pkg
check "without --ensure it says all is there" 0 "install-deps: all packages present" \
	0 "" "s390x" build
check "unknown group" 2 \
	"install-deps: unknown group 'nope' (build, s390x, clang, check, pkg, boot, boot-s390x)" \
	0 "" "" --ensure nope

echo "install-deps: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
