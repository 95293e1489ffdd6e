#!/bin/bash
# pvapconfig's own algorithm test (main.rs test_do_ap_config_invocation_3, spec/ap.md
# §8.7 item 14) on the simulated bus: the same queues, secrets and entries, every queue
# unbound at first, so pvboot reads the wrapping keys it needs by binding the domains
# one by one. Expected as upstream: entries 1-3 applied (10.0007; 11.0008 with index
# 13; 12.0009 with index 15), entry 4 has no queue with its key. 13.000f cannot be
# bound (its info cannot be gathered); 13.000d has no valid wrapping key.
. "$TESTS/cases/lib.sh"
machine <<'YAML'
ap:
  cards:
    - {card: 0x10, type: CEX8A, domains: [7]}
    - card: 0x11
      type: CEX8P
      serialnr: 93AADFK719460083
      queues: [{domain: 8, wk: 0xdb3c3b3c3f097dd55ec7eb0e7fdbcb930000000000000000000000000000000a}]
    - card: 0x12
      type: CEX8P
      serialnr: 93AADHZU42082261
      queues:
        - {domain: 9, wk: 0x4a27bb66520ac85f6073a7f678d262c00000000000000000000000000000000b}
        - {domain: 10, wk: 0x383d2a9ab781f35343554c5b3d9337cd0000000000000000000000000000000c}
    - card: 0x13
      type: CEX8P
      serialnr: 87HU397G150TZGR_
      queues: [{domain: 13, wk: invalid}, {domain: 15, tapq_rc: 0x02}]
YAML
assoc_store 13="my EP11 APQN 1" \
	15=0x06cdbbac76a595b481110d108154bc05ebbf900a0f16e36a24045998934fb1e9 \
	17=0x6831af07f8c8e7309a3ace9f3b5554d34e3eaa4a27a08fdee469e367c3fa3e9e \
	33=0x3333333333333333333333333333333333333333333333333333333333333333 \
	44=0x4444444444444444444444444444444444444444444444444444444444444444
cat >ap.yaml <<'CFG'
- name: Accelerator
  mode: Accel
  mingen: CEX8
- name: my EP11 APQN 1
  mode: EP11
  mkvp: 0xdb3c3b3c3f097dd55ec7eb0e7fdbcb93
  serialnr: 93AADFK719460083
  mingen: CEX8
- description: my EP11 APQN 2 (upstream's name does not hash to this id)
  mode: EP11
  mkvp: 0x4a27bb66520ac85f6073a7f678d262c0
  secretid: 0x06cdbbac76a595b481110d108154bc05ebbf900a0f16e36a24045998934fb1e9
- description: my EP11 APQN 3
  mode: EP11
  mkvp: 0x8be1eaf5c44e2fa8b18804551b604b1b
  secretid: 0x6831af07f8c8e7309a3ace9f3b5554d34e3eaa4a27a08fdee469e367c3fa3e9e
CFG
run pvboot secret list
run pvboot -v ap apply -c ap.yaml
apstate
run pvboot ap list
