#!/bin/bash
# Bytes from a disk or a device never reach a terminal, a log line, kmsg or the status
# text raw: a request id with CR/LF (it would forge a log line), a card serial number
# with an ESC/OSC sequence (it would retitle the terminal), a file name with a
# bidirectional override (it would show reversed), names with a line separator, a
# zero-width space, a BOM or a Unicode tag (Zl, Zp and format characters, Cf: they
# break a line or hide a difference). Escaped as \xNN; JSON as \u00NN or \uNNNN. The transcript below is passed through `cat -v`, so a raw control byte would
# show as ^M, ^[ or ^G.
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/boot-lib.bash"
evil=$'evil\r\npvboot: ok: forged'
note "a request whose secret id (pvsecret --use-name) holds CR and LF"
boot_machine
(
	cd "$MACHINE/bootfs/sics" || exit 1
	mkasr "${GEN[@]}" "${EXT[@]}" "${SIGN[@]}" --toc-policy toc.pol --secret-id-name -o evil.asr \
		association "$evil" --input-secret "$T/assoc.bin"
	mkasr "${GEN[@]}" "${EXT[@]}" "${SIGN[@]}" --toc-policy toc.pol --secret-id-name -o sep.asr \
		association $'line\xe2\x80\xa8two\xe2\x80\x8bzw' --input-secret "$T/assoc.bin"
	mkasr "${GEN[@]}" "${EXT[@]}" "${SIGN[@]}" --policy toc.pol -o toc.asr meta
)
note "and files whose names hold U+2028 (line separator), U+200B (zero width), U+FEFF (BOM),"
note "U+061C (Arabic letter mark), U+E0001 (language tag), U+00AD (soft hyphen)"
for n in $'a\xe2\x80\xa8b' $'\xe2\x80\x8bzw' $'\xef\xbb\xbfbom' $'\xd8\x9calm' \
	$'tag\xf3\xa0\x80\x81' $'shy\xc2\xad'; do
	printf x >"$MACHINE/bootfs/sics/$n.asr"
done
note "and a file whose name starts with U+202E (right-to-left override: it shows reversed)"
printf x >"$MACHINE/bootfs/sics/"$'\xe2\x80\xae'"fdp.asr"
image_config </dev/null
boot | cat -v
after_boot | cat -v
echo "--- kmsg"
cat -v "$MACHINE/kmsg"
run pvboot secret list | cat -v
run pvboot secret list --format json | cat -v
cp "$MACHINE/bootfs/sics/evil.asr" .
run pvboot secret inspect evil.asr | cat -v
run pvboot status --json | cat -v

note "a card whose serial number holds an OSC sequence (set the terminal title)"
machine ap <<'YAML'
ap:
  cards:
    - {card: 3, type: CEX8P, serialnr: "\e]0;PWNED\aABCDEF", queues: [{domain: 5, state: bound, wk: auto}]}
YAML
run pvboot ap list | cat -v
run pvboot ap list --format json | cat -v
