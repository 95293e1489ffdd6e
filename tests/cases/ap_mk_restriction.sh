#!/bin/bash
# Two EP11 domains of one card with the same wrapping key (spec/ap.md §8.7 item 5):
# pvboot refuses to configure anything and unbinds the domains it bound to read the
# keys. The same key on two different cards is fine.
. "$TESTS/cases/lib.sh"
WK=0xdb3c3b3c3f097dd55ec7eb0e7fdbcb93aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
machine <<YAML
ap:
  cards:
    - card: 1
      type: CEX8P
      queues: [{domain: 1, wk: $WK}, {domain: 2, wk: $WK}]
    - card: 2
      type: CEX8P
      queues: [{domain: 1, wk: $WK}]
YAML
assoc_store "a" "b"
cat >ap.yaml <<'CFG'
- {name: a, mode: EP11, mkvp: 0xdb3c3b3c3f097dd55ec7eb0e7fdbcb93}
- {name: b, mode: EP11, mkvp: 0xdb3c3b3c3f097dd55ec7eb0e7fdbcb93}
CFG
run pvboot ap apply -c ap.yaml
apstate
note without the second domain of card 1
machine m2 <<YAML
ap:
  cards:
    - {card: 1, type: CEX8P, queues: [{domain: 1, wk: $WK}]}
    - {card: 2, type: CEX8P, queues: [{domain: 1, wk: $WK}]}
YAML
assoc_store "a" "b"
run pvboot ap apply -c ap.yaml
apstate
