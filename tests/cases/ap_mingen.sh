#!/bin/bash
# mingen is the oldest accepted generation (spec/ap.md §8.7 item 12). pvapconfig
# inverts the test (an entry with mingen CEX7 would take the CEX6 card and refuse the
# CEX8 one); pvboot takes the newest card first and never one older than mingen.
. "$TESTS/cases/lib.sh"
machine <<'YAML'
ap:
  cards:
    - {card: 1, type: CEX6A, domains: [1]}
    - {card: 2, type: CEX7A, domains: [1]}
    - {card: 3, type: CEX8A, domains: [1]}
YAML
cat >ap.yaml <<'CFG'
- {name: cex7 or newer, mode: Accel, mingen: CEX7}
- {name: cex7 or newer, mode: Accel, mingen: cex7}
- {name: cex7 or newer, mode: Accel, mingen: Cex7}
- {name: any, mode: Accel}
CFG
run pvboot ap apply -c ap.yaml
apstate
note with --strict the third entry is missing
run pvboot ap apply -c ap.yaml --strict
apstate
