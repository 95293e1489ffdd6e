#!/bin/bash
# pvboot ap unbind (pvapconfig --unbind, spec/ap.md §8.7 item 8): every bound queue, or
# the named ones; a queue left unreadable by a failed association is reset too. An
# APQN that does not exist or cannot be unbound is an error; bad syntax a usage error.
. "$TESTS/cases/lib.sh"
machine <<'YAML'
ap:
  cards:
    - {card: 1, type: CEX8A, queues: [{domain: 1, state: bound}, {domain: 2, state: bound}, {domain: 3}]}
    - card: 2
      type: CEX8P
      wk: auto
      queues:
        - {domain: 1, state: associated, assoc_index: 0}
        - {domain: 2, state: bound}
    - {card: 3, type: CEX8C, domains: [1]}
YAML
assoc_store "s0"
note "02.0002: an association failed in firmware (0x36): its se_bind reads EIO"
printf 'version 1\nqueue 02.0002 online=1 bs=1 assoc=0 err=0x36\n' >"$MACHINE/ap.state"
run pvboot ap list
run pvboot ap unbind 01.0002 1.1
apstate
run pvboot ap unbind 01.0009
run pvboot ap unbind 03.0001
run pvboot ap unbind 1.2.3
run pvboot ap unbind zz
run pvboot ap unbind
apstate
run pvboot ap list
note nothing left to unbind
run pvboot ap unbind
apstate
