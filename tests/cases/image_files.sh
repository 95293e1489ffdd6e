#!/bin/bash
# The files an image needs besides pvboot.yaml come from `pvboot check-config
# --list-files`: the dracut module's install() (run here with dracut's functions stubbed:
# inst_simple copies into $T/image) installs the pvapconfig file, the owner's
# certificate and the root's sealed LUKS2 header at their paths, names with spaces
# included; a header check-config refuses stops the image. Only a sealed root brings
# cryptsetup and the ciphers' modules (the stock unlock has its own), and the boot
# partition's file-system drivers are source_fstypes' (installkernel, instmods stubbed). (The initramfs-tools hook
# does the same with copy_file; the boot tests build both kinds of images.)
. "$TESTS/cases/lib.sh"

printf '#!/bin/sh\nexec %s %s "$@"\n' "${RUN_PREFIX:-}" "$PVBOOT_REAL" >pvboot-bin
chmod +x pvboot-bin
cp "$TESTS/keys/owner-ec.crt" owner.crt
cp "$TESTS/vectors/luks2/aes512.hdr" "root header.img"
truncate -s 294912 "root header.img"
printf -- '- {mode: Accel, mingen: CEX7}\n' >ap.yaml
cat >pvboot.yaml <<YAML
user_cert: $T/owner.crt
ap: {file: $T/ap.yaml}
root:
  device: UUID=0f0e0d0c-0b0a-4908-8706-050403020100
  key: {name: luks-root}
  header: $T/root header.img
YAML

dracut_install() {
	rm -rf image && mkdir image
	(
		inst_simple() { mkdir -p "image${2%/*}" && cp "$1" "image$2" && echo "inst_simple $2"; }
		dfatal() { echo "dfatal: $*"; }
		dinfo() { echo "dinfo: $*"; }
		inst_multiple() { echo "inst_multiple $*"; }
		instmods() { echo "instmods $*"; }
		inst_hook() { :; }
		dracut_module_included() { return 1; }
		# shellcheck disable=SC2034 # read by module-setup.sh
		moddir=$TESTS/../dracut-module initdir=$T/image pvboot_binary=$T/pvboot-bin \
			pvboot_config=$T/pvboot.yaml \
			kernel_cmdline=$1 srcmods=$T/nomods kernel=test
		# shellcheck source=../../dracut-module/module-setup.sh
		. "$TESTS/../dracut-module/module-setup.sh"
		installkernel
		install
	) 2>&1 | sed "s|$T|T|g"
	echo "[install exit ${PIPESTATUS[0]}]"
	(cd image && find . -type f | sed -e 's|^\.||' -e "s|$T|T|g" | LC_ALL=C sort)
}

note "the owner's header: every listed file is in the image, byte for byte"
dracut_install ""
cmp "root header.img" "image$T/root header.img" && echo "header installed unchanged"
note "rd.pvboot.ap=0 on the image's command line: no pvapconfig file"
dracut_install "rd.pvboot.ap=0"
note "the root's header on its disk, ext4 boot partition: no cryptsetup, no ciphers, one fs driver"
mv pvboot.yaml sealed.yaml
sed '/^  header:/d' sealed.yaml >pvboot.yaml
echo 'source_fstypes: [ext4]' >>pvboot.yaml
dracut_install ""
mv sealed.yaml pvboot.yaml
note "the host's header (cipher_null-ecb): no image"
mkasr luks2-edit "$TESTS/vectors/luks2/aes512.hdr" "root header.img" \
	json '"encryption":"aes-xts-plain64","sector_size"' '"encryption":"cipher_null-ecb","sector_size"'
truncate -s 294912 "root header.img"
dracut_install ""
