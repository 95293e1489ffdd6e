#!/bin/bash
# Step 2 releases what satisfies no entry, step 3 re-uses it (spec/ap.md §8.7 item 2):
# an EP11 domain associated with an old secret is unbound and bound + associated again
# with the right one; a domain whose entry left the configuration and a bound
# accelerator nobody asks for are unbound. The second run writes nothing.
. "$TESTS/cases/lib.sh"
machine <<'YAML'
ap:
  cards:
    - card: 1
      type: CEX8A
      queues:
        - {domain: 4, state: bound}
    - card: 0x0b
      type: CEX8P
      serialnr: 93AADFK719460083
      queues:
        - {domain: 8, state: associated, assoc_index: 0, wk: 0xdb3c3b3c3f097dd55ec7eb0e7fdbcb93aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}
        - {domain: 9, state: associated, assoc_index: 1, wk: 0x4a27bb66520ac85f6073a7f678d262c0bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb}
YAML
assoc_store "old secret" "my EP11 domain"
cat >ap.yaml <<'CFG'
- name: my EP11 domain
  mode: EP11
  mkvp: 0xdb3c3b3c3f097dd55ec7eb0e7fdbcb93
CFG
run pvboot ap list
run pvboot ap apply -c ap.yaml
apstate
run pvboot ap list
run pvboot ap apply -c ap.yaml
apstate
