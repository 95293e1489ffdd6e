#!/bin/bash
# pvboot check-config: the image builder's offline check of pvboot.yaml, the pvapconfig
# file it references or its inline AP entries, and rd.pvboot options.
. "$TESTS/cases/lib.sh"

cp "$TESTS/keys/owner-ec.crt" owner.crt
cat >pvboot.yaml <<YAML
required: true
user_cert: $T/owner.crt
source: PARTLABEL=se-boot
retrieve:
  - {name: luks-root, path: /run/pvboot/luks.key}
  - {id: 0x0102030405060708091011121314151617181920212223242526272829303132, path: /run/k}
ap:
  file: ap.yaml
YAML
note "the AP file must be an absolute path; here it is relative"
run pvboot check-config pvboot.yaml
note "an absolute path, but the file is missing; then present and valid"
sed -i "s|file: ap.yaml|file: $T/ap.yaml|" pvboot.yaml
run pvboot check-config pvboot.yaml 2>&1 | sed "s|$T|T|g"
cat >ap.yaml <<'YAML'
- {name: EP11 domain 5, mode: EP11, mkvp: 0x00112233445566778899aabbccddeeff}
- {mode: Accel, mingen: CEX7}
YAML
run pvboot check-config pvboot.yaml | sed "s|$T|T|g"
note "a broken pvapconfig file is found at image build time"
printf -- '- {mode: CCA}\n' >ap.yaml
run pvboot check-config pvboot.yaml | sed "s|$T|T|g"

note "inline entries, and the kernel command line on top"
cat >inline.yaml <<'YAML'
cck_enforcement: true
mode: plain
expect: [{name: luks-root, type: plaintext}]
lock: false
ap:
  strict: true
  entries:
    - {name: EP11 domain 5, mode: EP11, mkvp: 0x00112233445566778899aabbccddeeff}
timeouts: {uv: 5, source: 60, ap: 10}
on_failure: reboot
YAML
run pvboot check-config --cmdline 'quiet rd.pvboot.src=/run/sics rd.pvboot.onfail=halt rd.pvboot.timeout=3' inline.yaml
run pvboot check-config --cmdline 'rd.pvboot.onfail=explode' inline.yaml
run pvboot check-config --cmdline 'rd.pvboot=0' inline.yaml

note "errors name the file, line and column"
printf 'cck_enforcement: true\nsource: LABEL=boot\ndirectory: ../sics\n' >bad.yaml
run pvboot check-config bad.yaml
printf 'cck_enforcement: true\nap:\n  entries:\n    - {mode: EP11}\n' >bad.yaml
run pvboot check-config bad.yaml
run pvboot check-config missing.yaml
run pvboot check-config a.yaml b.yaml
