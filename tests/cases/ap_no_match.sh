#!/bin/bash
# No queue matches (spec/ap.md §8.7 item 4): a wrong wrapping key, a wrong serial
# number, a mode the machine lacks. pvboot bound the EP11 domains to read their keys
# and unbinds them again; exit 1 because no entry is satisfied.
. "$TESTS/cases/lib.sh"
machine <<'YAML'
ap:
  cards:
    - card: 3
      type: CEX8P
      serialnr: 93AADFK719460083
      wk: auto
      domains: 1-2
YAML
assoc_store "e1" "e2"
K1=$(printf 03.0001 | sha256sum | cut -c1-32)
cat >ap.yaml <<CFG
- name: e1
  mode: EP11
  mkvp: 0x8be1eaf5c44e2fa8b18804551b604b1b
- name: e2
  mode: EP11
  mkvp: 0x$K1
  serialnr: 93AADHZU42082261
- name: accelerator
  mode: Accel
CFG
run pvboot -v ap apply -c ap.yaml
apstate
