#!/bin/bash
# --dry-run writes nothing at all (spec/ap.md §8.7 item 7; pvapconfig binds and unbinds
# every unbound queue to read it): it says what would be unbound and bound, and that an
# entry is undetermined when only unbound EP11 domains, whose keys cannot be read
# without binding them, could match. The real run then does what the dry run said.
. "$TESTS/cases/lib.sh"
machine <<'YAML'
ap:
  cards:
    - {card: 1, type: CEX8A, queues: [{domain: 1, state: bound}, {domain: 2}]}
    - {card: 2, type: CEX8P, serialnr: 93AADFK719460083, wk: auto, queues: [{domain: 1, state: bound}, {domain: 2}]}
    - {card: 3, type: CEX8P, wk: auto, domains: [1]}
YAML
assoc_store "bound one" "unbound one"
K21=$(printf 02.0001 | sha256sum | cut -c1-32)
K31=$(printf 03.0001 | sha256sum | cut -c1-32)
cat >ap.yaml <<CFG
- name: bound one
  mode: EP11
  mkvp: 0x$K21
- name: unbound one
  mode: EP11
  mkvp: 0x$K31
- name: more accelerators
  mode: Accel
- name: more accelerators
  mode: Accel
- name: and one too many
  mode: Accel
CFG
run pvboot ap apply -c ap.yaml --dry-run
run pvboot ap apply -c ap.yaml -n --strict
apstate
run pvboot ap apply -c ap.yaml
apstate
run pvboot ap apply -n -c ap.yaml
apstate
