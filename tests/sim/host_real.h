/* SPDX-License-Identifier: MIT */
/*
 * Force-included when src/host_linux.c is compiled a second time for pvboot-sim
 * (Makefile: host_real.o): its functions become real_host_*, so that a machine with
 * "host: real" (tests/sim/README.md) reaches the real files, disks, kernel log and
 * clock through exactly the code the shipped binary uses. sim.h declares them.
 */
#define host_uv_open	 real_host_uv_open
#define host_uv_ioctl	 real_host_uv_ioctl
#define host_uv_close	 real_host_uv_close
#define host_read_text	 real_host_read_text
#define host_path_exists real_host_path_exists
#define host_write_text	 real_host_write_text
#define host_list_dir	 real_host_list_dir
#define host_path	 real_host_path
#define host_lock_try	 real_host_lock_try
#define host_unlock	 real_host_unlock
#define host_find_block	 real_host_find_block
#define host_mount_ro	 real_host_mount_ro
#define host_umount	 real_host_umount
#define host_open_dir	 real_host_open_dir
#define host_kmsg_write	 real_host_kmsg_write
#define host_now_ns	 real_host_now_ns
#define host_sleep_ns	 real_host_sleep_ns
#define host_run	 real_host_run
#define host_block_devno real_host_block_devno
#define host_read_block	 real_host_read_block
#define host_dm_table	 real_host_dm_table
#define host_dm_remove	 real_host_dm_remove
