#!/bin/bash
# A bind the kernel refuses (spec/ap.md §8.7 item 9): EIO (the firmware's BAPQ answer,
# here a bind limit), EINVAL (a queue the firmware calls unusable), EBUSY (a queue
# still in a reset). The run stops at the failing entry; what it did before stays.
. "$TESTS/cases/lib.sh"
cat >ap.yaml <<'CFG'
- {name: first, mode: Accel}
- {name: second, mode: Accel}
- {name: third, mode: Accel}
CFG
note EIO: a bind limit of 1
machine m1 <<'YAML'
ap:
  bind_limit: 1
  cards:
    - {card: 1, type: CEX8A, domains: [1]}
    - {card: 2, type: CEX7A, domains: [1]}
    - {card: 3, type: CEX6A, domains: [1]}
YAML
run pvboot ap apply -c ap.yaml
apstate
note "EIO: the firmware answers BAPQ with 0x30"
machine m2 <<'YAML'
ap:
  cards:
    - {card: 1, type: CEX8A, domains: [1]}
    - {card: 2, type: CEX7A, queues: [{domain: 1, bapq_rc: 0x30}]}
YAML
run pvboot ap apply -c ap.yaml
apstate
note "EINVAL: bind state 3 (unusable)"
machine m3 <<'YAML'
ap:
  cards:
    - {card: 1, type: CEX8A, queues: [{domain: 1, state: unusable}]}
YAML
run pvboot ap apply -c ap.yaml
apstate
note "EBUSY: the queue never leaves its reset phase (retried until the time limit)"
machine m4 <<'YAML'
ap:
  cards:
    - {card: 1, type: CEX8A, queues: [{domain: 1, busy: true}]}
YAML
run pvboot ap apply -c ap.yaml --timeout 2
note "the retries, collapsed (their number depends on the poll schedule)"
apstate | uniq
