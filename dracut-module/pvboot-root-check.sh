#!/bin/sh
# SPDX-License-Identifier: MIT
# dracut shell initrd, pre-mount hook (sourced): after the crypt module's unlock and
# before the root is mounted, `pvboot root check` proves the root's live device-mapper
# table (pvboot(8), THE ROOT VOLUME); a mismatch ends the boot with the failure action.
/usr/lib/pvboot/pvboot-job.sh root-check
