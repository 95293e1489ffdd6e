#!/bin/bash
# Associations that do not succeed (spec/ap.md §8.7 item 10): one never completes (the
# wait ends at --timeout and the queue stays bound, pending); one fails in firmware
# (0x36: se_associate reads EIO), which pvboot reports and undoes by unbinding the
# queue. The next run replaces the pending association. Both are waited for together.
. "$TESTS/cases/lib.sh"
machine <<'YAML'
ap:
  cards:
    - card: 1
      type: CEX8P
      wk: auto
      queues:
        - {domain: 1, assoc_ms: never}
        - {domain: 2, assoc_result: 0x36, assoc_ms: 50}
        - {domain: 3}
YAML
assoc_store "e1" "e2" "e3"
K() { printf '%s' "$1" | sha256sum | cut -c1-32; }
cat >ap.yaml <<CFG
- {name: e1, mode: EP11, mkvp: 0x$(K 01.0001)}
- {name: e2, mode: EP11, mkvp: 0x$(K 01.0002)}
- {name: e3, mode: EP11, mkvp: 0x$(K 01.0003)}
CFG
run pvboot ap apply -c ap.yaml --timeout 2
apstate
run pvboot ap list
note the pending association does not satisfy its entry: replaced
run pvboot ap apply -c ap.yaml --timeout 1
apstate
note "a firmware answer to AAPQ: 0x31 (not available for association)"
machine m2 <<'YAML'
ap:
  cards:
    - {card: 1, type: CEX8P, wk: auto, queues: [{domain: 1, aapq_rc: 0x31}]}
YAML
assoc_store "e1"
run pvboot ap apply -c ap.yaml
apstate
