#!/bin/bash
# make demo: pvboot on a simulated Secure Execution guest with bundled sample data.
#   demo.sh BUILD_DIR WORK_DIR
# The guest boots the SE header tests/vectors/exp/secure_guest.hdr with the fake host
# key tests/vectors/cert/host.key; the image owner's add-secret requests are made with
# the test generator mkasr (as `pvsecret create` would make them).
set -euo pipefail
build=$(realpath "$1")
work=$2
tests=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$work"
mkdir -p "$work/guest" "$work/image"
work=$(realpath "$work")
V=$tests/vectors

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '\033[2m$ %s\033[0m\n' "$*"; "$@" || echo "[exit $?]"; }

# The simulated machine: an SE guest booted from secure_guest.hdr.
cp "$V/cert/host.key" "$V/exp/secure_guest.hdr" "$work/guest/"
cat >"$work/guest/machine.yaml" <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
max_assoc_secrets: 16
max_retr_secrets: 16
YAML
export PVBOOT_SIM_MACHINE=$work/guest
pvboot() { "$build/pvboot-sim" "$@"; }

step "The image owner makes add-secret requests for this image (offline)"
cd "$work/image"
gen=(-k "$V/cert/host.crt" --hdr "$V/exp/secure_guest.hdr"
	--cuid 0x42424242424242424242424242424242)
head -c 32 /dev/urandom >ep11-assoc.bin
printf 'sample LUKS passphrase' >luks.txt
"$build/mkasr" "${gen[@]}" -o toc.asr --disable-dump meta
"$build/mkasr" "${gen[@]}" -o ep11-domain5.asr association "EP11 domain 5" --input-secret ep11-assoc.bin
"$build/mkasr" "${gen[@]}" -o late.asr association "added too late" --input-secret ep11-assoc.bin
"$build/mkasr" "${gen[@]}" -o luks-rfs-passphrase.asr retrievable luks-rfs-passphrase --kind plain --secret luks.txt
ls -l ./*.asr
show pvboot secret inspect luks-rfs-passphrase.asr

step "On the guest: is this an SE guest?"
show pvboot info

step "Add the requests, in order (each is validated first; duplicate ids are refused)"
show pvboot secret add toc.asr ep11-domain5.asr luks-rfs-passphrase.asr

step "The secret store"
show pvboot secret list

step "Lock the store: nothing can be added for the rest of this boot"
show pvboot secret lock
show pvboot secret add late.asr

step "Retrieve the LUKS passphrase into a new 0400 file"
show pvboot secret retrieve --name luks-rfs-passphrase -o "$work/luks.key"
stat -c '%A %s bytes %n' "$work/luks.key"

step "What the simulated ultravisor saw ($work/guest/uv.log)"
grep -v '^list' "$work/guest/uv.log"
printf '\nThe boot flow (find, verify, add, lock, retrieve, bind AP queues) builds on these\ncommands; see README.md.\n'
