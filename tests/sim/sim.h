/* SPDX-License-Identifier: MIT */
/*
 * pvboot-sim internals: the simulated machine (description + persistent state), the
 * simulated ultravisor (UVC level) and the simulated uvdevice driver (ioctl level).
 * tests/sim/README.md documents the machine directory; the host.h functions are in
 * sim_host.c (files, clock) and sim_kernel.c (/dev/uv).
 */
#ifndef PVBOOT_SIM_H
#define PVBOOT_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "secrypto.h"

#define SIM_ENV		 "PVBOOT_SIM_MACHINE"
#define SIM_EXIT_FIXTURE 125

#define SIM_MAX_HOST_KEYS  8
#define SIM_MAX_FAULTS	   64
#define SIM_MAX_YAML_FILE  (64 * 1024)
#define SIM_MAX_KEY_FILE   (64 * 1024)
#define SIM_MAX_SE_IMAGE   (256u * 1024 * 1024)
#define SIM_MAX_STATE_FILE (16u * 1024 * 1024)
#define SIM_MAX_CMDLINE	   4096
#define SIM_MAX_STORE	   4096 /* hard cap on stored secrets, whatever the limits say */

enum sim_op { SIM_OP_INFO, SIM_OP_ADD, SIM_OP_LIST, SIM_OP_LOCK, SIM_OP_RETRIEVE, SIM_OP_COUNT };

enum sim_kernel { SIM_KERNEL_MAINLINE, SIM_KERNEL_OLD };
enum sim_uvdev { SIM_UVDEV_PRESENT, SIM_UVDEV_ABSENT, SIM_UVDEV_EACCES };

/* Installed UV calls, as MSB0 bit numbers of inst_calls_list[0] (spec/uv.md §1.5). */
#define SIM_FAC_RETR_ATTEST  28
#define SIM_FAC_ADD_SECRET   29
#define SIM_FAC_LIST_SECRETS 30
#define SIM_FAC_LOCK_SECRETS 31
#define SIM_FAC_RETR_SECRET  33
#define SIM_FAC_BIT(n)	     (1ull << (63 - (n)))

struct sim_fault {
	enum sim_op op;
	uint64_t call;	/* first call (1-based, counted per op across invocations) */
	uint64_t count; /* number of consecutive calls affected */
	int err;	/* positive errno, or 0 */
	uint16_t rc;	/* UV rc when err == 0 */
	uint16_t rrc;
};

#define SIM_MAX_DISKS 8

/* A block device of the machine (machine.yaml "disks"), see tests/sim/README.md. */
struct sim_disk {
	char dev[64];	       /* /dev/vda1 */
	char label[64];	       /* LABEL= */
	char uuid[64];	       /* UUID= (compared case-insensitively) */
	char partlabel[64];    /* PARTLABEL= */
	char partuuid[64];     /* PARTUUID= */
	char dir[1024];	       /* its file system: a directory of the machine */
	uint64_t appears_ms;   /* appears once the guest has slept this long */
	int mount_errno;       /* mount fails with this errno (0: it mounts) */
	char fstype[16];       /* its file-system type (default ext4) */
	unsigned major, minor; /* devno: its device number (default 254:<index * 16>) */
	char image[1024];      /* image: its raw bytes for host_read_block ("" none) */
};

/* The device mapper and the attach program (machine.yaml "dm"). */
struct sim_dm {
	int status;	  /* what every program host_run starts exits with */
	char output[512]; /* and prints */
	char table[1024]; /* the table `... open ... NAME` loads when status is 0 ("" none) */
};

/* The machine description (machine.yaml); read-only after loading. */
struct sim_machine {
	char dir[1024];
	bool se_guest;
	enum sim_uvdev uvdevice;
	enum sim_kernel kernel;
	struct se_key host_keys[SIM_MAX_HOST_KEYS];
	size_t n_host_keys;
	bool have_tags;
	uint8_t tags[SE_HDR_TAGS_LEN]; /* PLD ‖ ALD ‖ TLD ‖ SE-header tag */
	uint8_t cuid[16];
	bool scf_cck_enforce;
	bool scf_cck_update;
	uint8_t cck[32]; /* initial CCK */
	uint64_t max_assoc, max_retr;
	uint64_t supp_pcf;     /* MSB0 flag bits the UV accepts */
	uint64_t supp_types;   /* MSB0 bit n: secret type n */
	uint64_t supp_req_ver; /* MSB0 bit n: request version (n+1)*0x100 */
	uint64_t facilities;   /* inst_calls_list[0] */
	bool dump_in_progress;
	char cmdline[SIM_MAX_CMDLINE];
	struct sim_fault faults[SIM_MAX_FAULTS];
	size_t n_faults;
	struct sim_disk disks[SIM_MAX_DISKS];
	size_t n_disks;
	struct sim_dm dm;
	bool virtual_clock; /* host_now_ns() is the slept time only: durations are exact */
	bool real_host;	    /* "host: real": files, disks, cmdline, kmsg and clock are the
			       real system's (host_linux.c); UV and AP stay simulated */
	struct sim_ap *ap;  /* "ap:" in machine.yaml; NULL: no AP bus. Its queues' dynamic
			       state (ap.state) is loaded on first use */
};

struct sim_ap; /* the AP bus (sim_ap.c) */

struct sim_secret {
	uint16_t index;
	uint16_t type;
	uint32_t len; /* listed (= retrieved) length */
	uint8_t id[32];
	uint8_t *value; /* the decrypted secret as in the request */
	uint32_t value_len;
};

/* The persistent state (<machine>/state). */
struct sim_state {
	bool locked;
	bool dump_disabled;
	uint8_t cck[32];
	bool ext_pinned;
	uint8_t ext_secret[32];
	uint32_t next_index;
	uint64_t clock_offset_ns;
	uint64_t calls[SIM_OP_COUNT];
	struct sim_secret *store;
	size_t n_store, cap_store;
};

/*
 * /dev/kmsg as pvboot's host layer uses it: opened once per process (one open file),
 * with the kernel's per-open-file rate limit (printk.devkmsg=ratelimit, the default):
 * a burst of 10 records per 5 s window; the rest are dropped silently and counted, and
 * the count is reported when the file is closed (at the end of the process).
 */
struct sim_kmsg {
	bool open;
	bool window;	  /* a window has started (the kernel's begin != 0) */
	uint64_t begin;	  /* the window's start (host_now_ns) */
	unsigned printed; /* records written in this window */
	unsigned missed;  /* records dropped since the file was opened */
};

struct sim {
	struct sim_machine m;
	struct sim_state st;
	struct sim_kmsg kmsg;
};

/*
 * The machine of this process, loaded on first use from $PVBOOT_SIM_MACHINE; NULL if
 * the variable is not set (a message is printed once). A broken machine directory ends
 * the process with exit code 125.
 */
struct sim *sim_get(void);
/* src/host_linux.c compiled as real_host_* (host_real.h), for "host: real". */
int real_host_read_text(const char *path, char *buf, size_t size);
int real_host_run(const char *path, char *const argv[], const void *in, size_t inlen, char *out,
		  size_t out_size, uint64_t timeout_ms);
int real_host_block_devno(const char *dev, unsigned *major, unsigned *minor);
int real_host_read_block(const char *dev, void *buf, size_t len);
int real_host_dm_table(const char *name, void *buf, size_t size);
int real_host_dm_remove(const char *name);
int real_host_path(const char *path, char *out, size_t size);
int real_host_lock_try(const char *path);
int real_host_find_block(const char *spec, char *dev, size_t size);
int real_host_mount_ro(const char *dev, const char *target, const char *fstypes, int *rootfd);
int real_host_umount(const char *target);
int real_host_open_dir(const char *path);
int real_host_kmsg_write(const char *rec, size_t len);
uint64_t real_host_now_ns(void);
void real_host_sleep_ns(uint64_t ns);

/* Forget the loaded machine (unit tests switch machine directories); closes kmsg. */
void sim_reset(void);
/* Close /dev/kmsg as the process's exit does: report the records the limit dropped. */
void sim_kmsg_close(struct sim *s);
/* Persist the state atomically (temp file + rename); fatal on error. */
void sim_save(struct sim *s);
/* Append one line to <machine>/uv.log. */
__attribute__((format(printf, 2, 3))) void sim_log(struct sim *s, const char *fmt, ...);
/* Fatal error in the machine directory: print "pvboot-sim: <msg>" and exit 125. */
__attribute__((noreturn, format(printf, 1, 2))) void sim_die(const char *fmt, ...);

/*
 * Load a machine description / state without side effects (for unit tests and
 * sim_get). 0, or -1 with "<file>:<line>:<col>: <what>" in err.
 */
int sim_machine_load(const char *dir, struct sim_machine *m, char *err, size_t errsz);
void sim_machine_free(struct sim_machine *m);
int sim_state_load(const char *dir, const struct sim_machine *m, struct sim_state *st, char *err,
		   size_t errsz);
void sim_state_free(struct sim_state *st);

/* Read a whole file of at most cap bytes (regular files only). 0 or -errno. */
int sim_read_file(const char *path, size_t cap, uint8_t **buf, size_t *len);

const char *sim_op_name(enum sim_op op);
const char *sim_errno_name(int err);

/* Fault injection: the fault for the current call of op (s->st.calls[op]), or NULL. */
const struct sim_fault *sim_fault_for(const struct sim *s, enum sim_op op);

/* ---- the ultravisor (sim_uv.c); each returns the UV rc ---- */

uint16_t sim_uvc_add(struct sim *s, const uint8_t *req, size_t len, uint64_t call);
/* The uv.log line of an add: "add call=N <what> type=… id=… tag=…[ why=…]". */
void sim_log_add(struct sim *s, uint64_t call, const char *what, const uint8_t *req, size_t len,
		 const char *why);
/* One List-Secrets UVC: fills a 4096-byte page when successful. */
uint16_t sim_uvc_list(struct sim *s, uint16_t start, uint8_t page[4096], uint64_t call);
uint16_t sim_uvc_lock(struct sim *s, uint64_t call);
uint16_t sim_uvc_retrieve(struct sim *s, uint16_t index, uint8_t *buf, uint32_t size,
			  uint64_t call);

bool sim_type_listable(uint16_t type);
bool sim_type_retrievable(uint16_t type);
/* The listed length of a stored secret of this type and value length. */
uint32_t sim_listed_len(uint16_t type, uint32_t value_len);
/* The opaque "protected key" the UV returns for a key secret (len = listed length). */
void sim_protected_key(const struct sim_secret *sec, uint8_t *out);

/* ---- the AP bus (sim_ap.c): /sys/bus/ap and /sys/devices/ap ---- */

/* Parse the "ap:" value of machine.yaml; 0, or -1 with "<file>:<line>:<col>: <what>". */
struct ynode;
int sim_ap_parse(const char *file, const struct ynode *n, struct sim_ap **out, char *err,
		 size_t errsz);
void sim_ap_free(struct sim_ap *ap);
/* Is path under /sys/bus/ap or /sys/devices/ap? Then the host.h calls go to: */
bool sim_ap_owns(const char *path);
int sim_ap_read(struct sim *s, const char *path, char *buf, size_t size);
int sim_ap_exists(struct sim *s, const char *path);
int sim_ap_write(struct sim *s, const char *path, const char *text, size_t len);
int sim_ap_list(struct sim *s, const char *path, int (*fn)(const char *name, void *ctx), void *ctx);

#endif
