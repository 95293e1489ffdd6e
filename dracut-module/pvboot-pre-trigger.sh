#!/bin/sh
# SPDX-License-Identifier: MIT
# dracut shell initrd, pre-trigger hook (sourced): queue pvboot's boot job as the first
# settled job, so it runs once udev has processed the coldplugged devices and before
# the crypt module's cryptroot-ask jobs (queued by udev rules, named after the device,
# and run in name order after this one).
/sbin/initqueue --settled --onetime --unique --name 00-pvboot /usr/lib/pvboot/pvboot-job.sh
