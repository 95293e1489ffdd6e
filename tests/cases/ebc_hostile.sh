#!/bin/bash
# The hostile-set matrix: every broken or tampered set is refused with one precise
# error and exit 1 before anything reaches the UV — after each sub-case the simulator's
# uv.log count of add calls stays 0 (and the final state dump shows no add at all).
. "$TESTS/cases/lib.sh"
. "$TESTS/cases/ebc-lib.bash"
ebc_machine
mkset base
HASH=$(sha256sum base/toc.pol | cut -c1-64)
hc() { copyset base "$1"; }
try() { run pvboot ebc apply "$@"; adds; }
flip_last() { # flip the lowest bit of the last byte of $1
	local b
	b=$(tail -c 1 "$1" | od -An -tu1 | tr -d ' ')
	{ head -c -1 "$1"; printf "\\$(printf %03o $((b ^ 1)))"; } >"$1.new" && mv "$1.new" "$1"
}
meta_ud() { (cd "$1" && mkasr "${GEN[@]}" "${EXT[@]}" --user-data "$2" -o toc.asr meta); }

note "--- toc.asr"
note "1. no toc.asr"
hc no-toc; rm no-toc/toc.asr
try no-toc
note "2. toc.asr is a symbolic link (to a valid one elsewhere)"
hc toc-link; mv toc-link/toc.asr toc-elsewhere.asr; ln -s ../toc-elsewhere.asr toc-link/toc.asr
try toc-link
note "3. toc.asr is a directory"
hc toc-dir; rm toc-dir/toc.asr; mkdir toc-dir/toc.asr
try toc-dir
note "4. toc.asr is not an add-secret request"
hc toc-text; echo "not a request" >toc-text/toc.asr
try toc-text
note "5. toc.asr truncated"
hc toc-short; head -c 1000 base/toc.asr >toc-short/toc.asr
try toc-short
note "6. toc.asr is not a meta request (an association request with the reference)"
hc toc-assoc
(cd toc-assoc && mkasr "${GEN[@]}" "${EXT[@]}" --policy toc.pol -o toc.asr association toc --input-secret "$T/assoc.bin")
try toc-assoc
note "7. toc.asr without user data"
hc toc-noud; (cd toc-noud && mkasr "${GEN[@]}" "${EXT[@]}" -o toc.asr meta)
try toc-noud
note "8. toc.asr with user data that is no policy reference"
printf 'owner: ACME build 42' >ud-text.bin
hc toc-otherud; meta_ud toc-otherud "$T/ud-text.bin"
try toc-otherud
note "9. toc.asr with a zero hash field (no reference)"
userdata "$(printf '%064d' 0)" 'toc.pol' ud-zero.bin
hc toc-zerohash; meta_ud toc-zerohash "$T/ud-zero.bin"
try toc-zerohash
note "10. toc.pol lists toc.asr's own tag (a forged toc.asr that ends in a listed tag)"
hc toc-owntag; { head -c -16 base/toc.asr; tail -c 16 base/rfs-luks-key.asr; } >toc-owntag/toc.asr
try toc-owntag

note "--- the policy reference"
note "11. policy name with '..'"
hc name-dotdot; mkdir name-dotdot/sub
(cd name-dotdot/sub && mkasr "${GEN[@]}" "${EXT[@]}" --policy ../toc.pol -o ../toc.asr meta)
try name-dotdot
note "12. policy name with a leading '/'"
userdata "$HASH" '/boot/sics/toc.pol' ud-abs.bin
hc name-abs; meta_ud name-abs "$T/ud-abs.bin"
try name-abs
note "13. empty policy name"
userdata "$HASH" '' ud-empty.bin
hc name-empty; meta_ud name-empty "$T/ud-empty.bin"
try name-empty
note "14. policy name with an embedded NUL"
userdata "$HASH" 'toc.pol\000.bak' ud-nul.bin
hc name-nul; meta_ud name-nul "$T/ud-nul.bin"
try name-nul
note "15. policy name with a control character"
userdata "$HASH" 'toc.pol\033[2J' ud-ctl.bin
hc name-ctl; meta_ud name-ctl "$T/ud-ctl.bin"
try name-ctl
note "16. policy name in a sub-directory (only files next to toc.asr are read)"
hc name-subdir; mkdir name-subdir/sub; cp base/toc.pol name-subdir/sub/
(cd name-subdir && mkasr "${GEN[@]}" "${EXT[@]}" --policy sub/toc.pol -o toc.asr meta)
try name-subdir

note "--- the policy file"
note "17. toc.pol missing"
hc pol-missing; rm pol-missing/toc.pol
try pol-missing
note "18. toc.pol is a symbolic link"
hc pol-link; mv pol-link/toc.pol pol-elsewhere; ln -s ../pol-elsewhere pol-link/toc.pol
try pol-link
note "19. toc.pol is a FIFO"
hc pol-fifo; rm pol-fifo/toc.pol; mkfifo pol-fifo/toc.pol
try pol-fifo
note "20. toc.pol larger than 64 KiB (made so by the owner: its hash matches)"
hc pol-big
for i in $(seq 2000); do printf '%032x\n' "$i"; done >>pol-big/toc.pol
retoc pol-big
try pol-big
note "21. policy hash mismatch: toc.pol's lines reordered"
hc pol-reordered; { sed -n 2p base/toc.pol; sed -n 1p base/toc.pol; sed -n '3,$p' base/toc.pol; } >pol-reordered/toc.pol
try pol-reordered
note "22. policy hash mismatch: a line removed (a request dropped)"
hc pol-removed; sed -i 3d pol-removed/toc.pol
try pol-removed
note "23. policy hash mismatch: a line added (a request of the host's)"
hc pol-added
(cd pol-added && mkasr "${GEN[@]}" "${EXT[@]}" --toc-policy toc.pol -o host.asr association host --input-secret "$T/assoc.bin")
try pol-added

note "--- toc.pol lines (the owner's policy, hash matching)"
note "24. a comment line"
hc line-comment; sed -i '1i # the LUKS key' line-comment/toc.pol; retoc line-comment
try line-comment
note "25. an unknown tag"
hc line-unknown; echo 00112233445566778899aabbccddeeff >>line-unknown/toc.pol; retoc line-unknown
try line-unknown
note "26. a duplicate tag"
hc line-dup; sed -n 2p base/toc.pol >>line-dup/toc.pol; retoc line-dup
try line-dup
note "27. CRLF line ends"
hc line-crlf; sed -i 's/$/\r/' line-crlf/toc.pol; retoc line-crlf
try line-crlf
note "28. trailing garbage on a line"
hc line-garbage; sed -i '2s/$/ cck/' line-garbage/toc.pol; retoc line-garbage
try line-garbage
note "29. an empty line"
hc line-empty; echo >>line-empty/toc.pol; retoc line-empty
try line-empty

note "--- the listed requests"
note "30. a listed request missing"
hc req-missing; rm req-missing/cck.asr
try req-missing
note "31. a listed request swapped for another valid request of the owner"
printf 'another passphrase' >other.txt
hc req-swapped
mkasr "${GEN[@]}" "${EXT[@]}" -o req-swapped/luks-rfs-passphrase.asr retrievable luks-rfs-passphrase --kind plain --secret other.txt
try req-swapped
note "32. one bit flipped in a listed request (its tag is no longer listed)"
hc req-flipped; flip_last req-flipped/ep11.asr
try req-flipped
note "33. a listed request is a symbolic link"
hc req-link; mv req-link/user-key.asr user-key-elsewhere.asr; ln -s ../user-key-elsewhere.asr req-link/user-key.asr
try req-link
note "34. a listed request is a FIFO"
hc req-fifo; rm req-fifo/user-key.asr; mkfifo req-fifo/user-key.asr
try req-fifo
note "35. a listed request larger than 1 MiB"
hc req-big; { head -c 1048576 /dev/zero; cat base/user-key.asr; } >req-big/user-key.asr
try req-big
note "36. a non-request file named *.asr that ends in a listed tag"
hc req-text; { echo '#!/bin/sh'; tail -c 16 base/ep11.asr; } >req-text/ep11.asr
try req-text
note "37. two different files with a listed tag"
hc req-twice; { head -c 16 base/ep11.asr; printf 'X'; tail -c +18 base/ep11.asr; } >req-twice/ep11-2.asr
try req-twice
note "38. an unlisted request is ignored, but a missing listed one is not replaced by it"
hc req-other; mv req-other/user-key.asr req-other/user-key.old
mkasr "${GEN[@]}" "${EXT[@]}" -o req-other/user-key.asr retrievable user-key --kind aes-256 --secret "$T/newcck.bin"
try req-other
note "38b. a listed request named just '.asr' (no name, no extension: pvebc does not read it)"
hc req-dotasr; mv req-dotasr/ep11.asr req-dotasr/.asr
try req-dotasr
run pvboot ebc verify req-dotasr

note "--- references of listed requests (checked once each, never followed further)"
nested() { # DIR: the base set plus x.asr, made in DIR by the commands on stdin, listed
	hc "$1"
	(cd "$1" && . /dev/stdin) || exit 1
	pvboot ebc toc "$1/x.asr" >>"$1/toc.pol"
	retoc "$1"
}
# shellcheck disable=SC2034 # used by the scripts that nested() sources
ASSOC=(association x --input-secret "$T/assoc.bin")
note "39. x.asr references extra.pol, which is missing"
nested nested-missing <<EOS
echo rules >extra.pol
mkasr "\${GEN[@]}" "\${EXT[@]}" --policy extra.pol -o x.asr "\${ASSOC[@]}"
rm extra.pol
EOS
try nested-missing
note "40. x.asr references extra.pol, which was changed"
nested nested-changed <<EOS
echo rules >extra.pol
mkasr "\${GEN[@]}" "\${EXT[@]}" --policy extra.pol -o x.asr "\${ASSOC[@]}"
echo "more rules" >>extra.pol
EOS
try nested-changed
note "41. x.asr references itself (an older x.asr)"
nested nested-self <<EOS
mkasr "\${GEN[@]}" "\${EXT[@]}" -o x.asr "\${ASSOC[@]}"
mkasr "\${GEN[@]}" "\${EXT[@]}" --policy x.asr -o x.asr "\${ASSOC[@]}"
EOS
try nested-self
note "42. a reference loop: x.asr -> y.asr -> (an older) x.asr; both listed"
nested nested-loop <<EOS
mkasr "\${GEN[@]}" "\${EXT[@]}" -o x.asr "\${ASSOC[@]}"
mkasr "\${GEN[@]}" "\${EXT[@]}" --policy x.asr -o y.asr association y --input-secret "$T/assoc.bin"
mkasr "\${GEN[@]}" "\${EXT[@]}" --policy y.asr -o x.asr "\${ASSOC[@]}"
EOS
pvboot ebc toc nested-loop/y.asr >>nested-loop/toc.pol
retoc nested-loop
try nested-loop
note "43. x.asr references a policy outside the directory"
nested nested-dotdot <<EOS
echo rules >../outside.pol
mkasr "\${GEN[@]}" "\${EXT[@]}" --policy ../outside.pol -o x.asr "\${ASSOC[@]}"
EOS
try nested-dotdot

note "--- the directory"
note "44. too many entries"
hc many; for i in $(seq 1025); do : >"many/f$i"; done
try many
note "45. more than 16 MiB of files"
hc heavy; for i in $(seq 17); do head -c 1048576 /dev/zero >"heavy/blob$i"; done
try heavy
note "46. not a directory"
try --toc base/toc.asr/x
try does-not-exist

note "--- the same refusals offline"
run pvboot ebc verify line-dup
run pvboot ebc verify req-swapped
state
