#!/bin/bash
# pvboot info on several machines; help, version and usage errors.
. "$TESTS/cases/lib.sh"
std_machine
run pvboot info
machine old <<YAML
kernel: old
facilities: [add_secret, list_secrets, lock_secrets]
secret_types: [1, 2, 3]
supp_add_secret_pcf: 0
YAML
run pvboot info
run pvboot secret retrieve --index 0 -o x
run pvboot --version
run pvboot --help
run pvboot secret --help
run pvboot secret add --help
run pvboot
run pvboot bogus
run pvboot --bogus
run pvboot secret bogus
run pvboot secret add
run pvboot secret list --format xml
run pvboot secret list extra
run pvboot secret lock --now
run pvboot secret id
run pvboot info extra
