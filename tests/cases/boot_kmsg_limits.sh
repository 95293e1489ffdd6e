#!/bin/bash
# The kernel log keeps the failure banner and every error line. /dev/kmsg takes at
# most 1024 bytes per record (longer writes are EINVAL: the record would vanish) and,
# by default (printk.devkmsg=ratelimit), 10 records per 5 s per open file; the
# simulator models both. pvboot shortens long records with a marker, keeps 3 of the 10
# for errors and the banner, and coalesces what does not fit into one record.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"
kmsg() {
	echo "--- kmsg ($(wc -l <"$MACHINE/kmsg") records)"
	# long records: their start and their end
	sed -E 's/^(.{110}).{20,}(.{110})$/\1 [...] \2/' "$MACHINE/kmsg"
	echo "---"
}

note "a failing boot with many warnings (30 FIFOs and links on the boot partition)"
boot_machine
mkbootset
for i in $(seq -w 1 15); do
	mkfifo "$MACHINE/bootfs/sics/fifo$i.asr"
	ln -s toc.asr "$MACHINE/bootfs/sics/link$i.asr"
done
head -1 "$MACHINE/bootfs/sics/toc.pol" >>"$MACHINE/bootfs/sics/toc.pol"
image_config </dev/null
boot >/dev/null
kmsg

note "a successful boot with the same warnings: nothing is dropped either"
reboot
mkbootset
boot >/dev/null
kmsg

note "an error record longer than 1024 bytes: shortened with a marker, never dropped"
L=$(printf 'x%.0s' $(seq 1 240))
rm -rf "$MACHINE/bootfs"
MAX_RETR=3 boot_machine
mkdir -p "$MACHINE/bootfs/sics"
(
	cd "$MACHINE/bootfs/sics" || exit 1
	for i in 1 2 3 4; do
		mkasr "${GEN[@]}" "${EXT[@]}" "${SIGN[@]}" --toc-policy toc.pol -o "$i$L.asr" \
			retrievable "key$i" --kind aes-256 --secret "$T/data.key"
	done
	mkasr "${GEN[@]}" "${EXT[@]}" "${SIGN[@]}" --policy toc.pol -o toc.asr meta
)
boot >/dev/null
echo "--- kmsg: record lengths"
awk '{ print length($0) + 1 }' "$MACHINE/kmsg"
sed -E 's/^(.{60}).{20,}(.{60})$/\1 [...] \2/' "$MACHINE/kmsg"
grep -c "added before it" "$MACHINE/root/run/pvboot/status.txt"

