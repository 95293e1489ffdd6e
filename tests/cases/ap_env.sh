#!/bin/bash
# Where AP queues cannot be configured (exit 3), configurations without entries (exit
# 0, nothing touched), the default configuration file, and usage errors (exit 2).
. "$TESTS/cases/lib.sh"
printf -- '- mode: Accel\n' >ap.yaml
printf '# nothing configured\n' >empty.yaml
note no AP bus
machine m1 <<'YAML'
se_guest: true
YAML
run pvboot ap apply -c ap.yaml
run pvboot ap list
run pvboot ap unbind
note not a Secure Execution guest
machine m2 <<'YAML'
se_guest: false
ap:
  cards: [{card: 1, type: CEX8A, domains: [1]}]
YAML
run pvboot ap apply -c ap.yaml
run pvboot ap list
note "no SE pass-through (APSB)"
machine m3 <<'YAML'
ap:
  apsb: false
  cards: [{card: 1, type: CEX8A, domains: [1]}]
YAML
run pvboot ap apply -c ap.yaml
note an empty configuration does nothing, anywhere
run pvboot ap apply -c empty.yaml --strict
note the default file is /etc/pvapconfig.yaml, as for pvapconfig
machine m4 <<'YAML'
ap:
  cards: [{card: 1, type: CEX8A, domains: [1]}]
YAML
run pvboot ap apply
mkdir -p "$MACHINE/root/etc"
cp ap.yaml "$MACHINE/root/etc/pvapconfig.yaml"
run pvboot ap apply
apstate
note broken configurations
printf -- '- mode: Accel\n  typo: 1\n' >typo.yaml
run pvboot ap apply -c typo.yaml
run pvboot ap check-config typo.yaml
ln -s ap.yaml link.yaml
run pvboot ap check-config link.yaml
head -c 70000 /dev/zero | tr '\0' '#' >big.yaml
run pvboot ap check-config big.yaml
printf -- '- mode: Accel\n  mkvp: 0x00\n  serialnr: 0123456789abcdef\n' >accel-keys.yaml
run pvboot ap check-config accel-keys.yaml
run pvboot ap check-config empty.yaml
note usage
run pvboot ap
run pvboot ap --help
run pvboot ap frobnicate
run pvboot ap apply --timeout 0
run pvboot ap apply --timeout x -c ap.yaml
run pvboot ap apply -s
run pvboot ap apply extra
run pvboot ap list --format yaml
run pvboot ap check-config
run pvboot ap check-config a b
run pvboot ap apply --help
