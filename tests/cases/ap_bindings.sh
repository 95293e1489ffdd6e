#!/bin/bash
# The AP bus bindings (spec/ap.md §8.7 item 13): pvboot waits until every queue device
# has its driver ("bindings" says complete), also for a queue that appears late, but
# never longer than --timeout (pvapconfig waits for ever).
. "$TESTS/cases/lib.sh"
machine <<'YAML'
ap:
  scan_ms: 300
  driver_ms: 200
  cards:
    - {card: 1, type: CEX8A, queues: [{domain: 1}, {domain: 2, appear_ms: 400}]}
YAML
printf -- '- mode: Accel\n- mode: Accel\n' >ap.yaml
note before the first bus scan
run pvboot ap list
run pvboot ap apply -c ap.yaml --strict
apstate
note a queue whose driver never binds
machine m2 <<'YAML'
ap:
  cards:
    - {card: 1, type: CEX8A, queues: [{domain: 1}, {domain: 2, driver: false}]}
YAML
run pvboot ap apply -c ap.yaml --timeout 3
run pvboot ap list
apstate
