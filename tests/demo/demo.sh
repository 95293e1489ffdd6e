#!/bin/bash
# make demo: pvboot's boot job on a simulated Secure Execution guest with bundled sample
# data.   demo.sh BUILD_DIR WORK_DIR
#
# The machine (tests/demo/machine.yaml) booted the SE header tests/vectors/exp/
# secure_guest.hdr with the fake host key tests/vectors/cert/host.key. The image owner's
# set of add-secret requests is made with the test generator mkasr, as `pvsecret create`
# would make it (toc.asr and every request it lists signed with the owner's
# user-signing key, the test key tests/keys/owner-ec.key), and put on the boot
# partition; the image's own configuration is tests/demo/pvboot.yaml, with the owner's
# certificate next to it.
set -euo pipefail
build=$(realpath "$1")
work=$2
demo=$(cd "$(dirname "$0")" && pwd)
V=$demo/../vectors
rm -rf "$work"
mkdir -p "$work/guest/bootfs/sics" "$work/guest/root/etc/pvboot" "$work/owner"
work=$(realpath "$work")
guest=$work/guest

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '\033[2m$ %s\033[0m\n' "$*"; "$@" || echo "[exit $?]"; }

cp "$V/cert/host.key" "$V/exp/secure_guest.hdr" "$demo/machine.yaml" "$guest/"
cp "$demo/pvboot.yaml" "$guest/root/etc/pvboot/pvboot.yaml"
cp "$demo/../keys/owner-ec.crt" "$guest/root/etc/pvboot/owner.crt"
export PVBOOT_SIM_MACHINE=$guest
pvboot() { "$build/pvboot-sim" "$@"; }

step "The image owner makes the set for this image (offline): pvsecret create, as mkasr"
cd "$work/owner"
gen=(-k "$V/cert/host.crt" --hdr "$V/exp/secure_guest.hdr"
	--cuid 0x42424242424242424242424242424242 --extension-secret "$work/owner/ext.bin"
	--user-sign-key "$demo/../keys/owner-ec.key") # every request: a tag is no commitment
head -c 32 /dev/urandom >ext.bin
head -c 32 /dev/urandom >ep11-cex8.bin
head -c 32 /dev/urandom >ep11-cex7.bin
printf 'sample LUKS passphrase' >luks.txt
sics=$guest/bootfs/sics
"$build/mkasr" "${gen[@]}" --toc-policy "$sics/toc.pol" -o "$sics/luks-root.asr" \
	retrievable luks-root --kind plain --secret luks.txt
"$build/mkasr" "${gen[@]}" --toc-policy "$sics/toc.pol" -o "$sics/ep11-cex8.asr" \
	association "EP11 domain 5 on CEX8" --input-secret ep11-cex8.bin
"$build/mkasr" "${gen[@]}" --toc-policy "$sics/toc.pol" -o "$sics/ep11-cex7.asr" \
	association "EP11 domain 5 on CEX7" --input-secret ep11-cex7.bin
(cd "$sics" && "$build/mkasr" "${gen[@]}" --policy toc.pol -o toc.asr --disable-dump meta)
show pvboot ebc verify --user-cert "$guest/root/etc/pvboot/owner.crt" "$sics"

step "The image's configuration, checked at image build time"
# check-config reads paths as they are on this machine: check the staged image tree
sed "s|^user_cert: |user_cert: $guest/root|" "$guest/root/etc/pvboot/pvboot.yaml" >"$work/check.yaml"
show pvboot check-config "$work/check.yaml"

step "Boot: the initramfs runs pvboot boot (what the console and kmsg show)"
show pvboot --kmsg boot

step "After boot: pvboot status (/run/pvboot/status.txt)"
show pvboot status

step "The secret store and the AP queues"
show pvboot secret list
show pvboot ap list

step "The LUKS passphrase for the root disk, in tmpfs"
stat -c '%A %s bytes /run/pvboot/luks.key' "$guest/root/run/pvboot/luks.key"

step "A second run in the same boot changes nothing"
show pvboot -q boot

printf '\nThe simulated machine is in %s (machine.yaml, uv.log, sysfs.log, kmsg, root/run).\n' "$guest"
