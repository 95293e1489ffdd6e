#!/bin/bash
# A fresh guest (spec/ap.md §8.7 item 1): one CEX8 accelerator and one CEX8 EP11 card
# whose domain has a wrapping key; the association secret arrives as a real request.
# pvboot binds the accelerator, binds and associates the EP11 domain with the secret's
# index; a second run finds everything in place and writes nothing.
. "$TESTS/cases/lib.sh"
machine <<YAML
host_keys: [host.key]
se_header: secure_guest.hdr
cuid: 0x42424242424242424242424242424242
ap:
  cards:
    - card: 0x0a
      type: CEX8A
      domains: [7]
    - card: 0x0b
      type: CEX8P
      serialnr: 93AADFK719460083
      queues:
        - {domain: 8, wk: 0xdb3c3b3c3f097dd55ec7eb0e7fdbcb93aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}
YAML
bytes 32 11 assoc.bin
mkasr "${GEN[@]}" -o other.asr association "another secret" --input-secret assoc.bin
mkasr "${GEN[@]}" -o assoc.asr association "my EP11 domain" --input-secret assoc.bin
cat >ap.yaml <<'CFG'
- name: any accelerator
  mode: Accel
  mingen: CEX8
- name: my EP11 domain
  mode: EP11
  mkvp: 0xDB3C3B3C3F097DD55EC7EB0E7FDBCB93
  serialnr: 93AADFK719460083
CFG
run pvboot secret add other.asr assoc.asr
run pvboot ap list
run pvboot ap check-config ap.yaml
run pvboot -v ap apply -c ap.yaml
apstate
run pvboot ap list
note the second run: everything is in place, nothing is written
run pvboot ap apply -c ap.yaml
apstate
run pvboot ap list --format json
