#!/bin/bash
# An EP11 entry whose association secret is not in the UV store (spec/ap.md §8.7 item
# 3): a warning, the entry is not applied, and no queue is bound for it, not even to
# read its wrapping key. Without --strict one satisfied entry suffices.
. "$TESTS/cases/lib.sh"
machine <<'YAML'
ap:
  cards:
    - {card: 1, type: CEX8A, domains: [1]}
    - {card: 2, type: CEX8P, queues: [{domain: 1, wk: auto}]}
YAML
assoc_store "some other secret"
cat >ap.yaml <<CFG
- mode: Accel
- name: missing secret
  mode: EP11
  mkvp: 0x$(printf 02.0001 | sha256sum | cut -c1-32)
CFG
run pvboot ap apply -c ap.yaml --strict
apstate
note without --strict
run pvboot ap apply -c ap.yaml
apstate
note an empty store
machine m2 <<'YAML'
ap:
  cards:
    - {card: 2, type: CEX8P, queues: [{domain: 1, wk: auto}]}
YAML
run pvboot ap apply -c ap.yaml
apstate
