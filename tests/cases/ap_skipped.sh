#!/bin/bash
# Queues pvboot cannot use are reported one line each and left alone (spec/ap.md §8.7
# item 6): a CCA card, an offline queue, a checkstopped card, a queue whose bind state
# is unreadable; the others are still configured. A card without its zcrypt driver has
# no "type": its generation and mode come from hwtype and ap_functions.
. "$TESTS/cases/lib.sh"
machine <<'YAML'
ap:
  cards:
    - {card: 1, type: CEX8C, domains: [1, 2]}
    - {card: 2, type: CEX8A, queues: [{domain: 1, online: false}, {domain: 2}]}
    - {card: 3, type: CEX7A, chkstop: true, domains: [1]}
    - {card: 4, type: CEX8P, queues: [{domain: 1, tapq_rc: 0x07, wk: auto}]}
    - {card: 5, type: CEX6A, driver: false, domains: [1]}
YAML
cat >ap.yaml <<'CFG'
- mode: Accel
CFG
run pvboot ap list
run pvboot ap apply -c ap.yaml
apstate
