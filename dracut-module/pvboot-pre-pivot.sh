#!/bin/sh
# SPDX-License-Identifier: MIT
# dracut shell initrd, pre-pivot hook (sourced), the last one before switch_root: remove
# the retrieved secrets (pvboot(8), INITRAMFS); powers off if one cannot be removed.
. /usr/lib/pvboot/pvboot-glue.sh
pvboot_glue_wipe
