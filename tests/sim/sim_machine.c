// SPDX-License-Identifier: MIT
/*
 * The simulated machine: its description (machine.yaml), its persistent state (state),
 * the UV call log (uv.log) and fault injection. See tests/sim/README.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asr.h"
#include "sim.h"
#include "util.h"
#include "ydoc.h"

static struct sim the_sim;
static bool sim_loaded;
static bool sim_unset_reported;

void sim_die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("pvboot-sim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(SIM_EXIT_FIXTURE);
}

static const char *const op_names[SIM_OP_COUNT] = {
    [SIM_OP_INFO] = "info", [SIM_OP_ADD] = "add",	    [SIM_OP_LIST] = "list",
    [SIM_OP_LOCK] = "lock", [SIM_OP_RETRIEVE] = "retrieve",
};

const char *sim_op_name(enum sim_op op)
{
	return op < SIM_OP_COUNT ? op_names[op] : "?";
}

static const struct {
	const char *name;
	int err;
} errno_names[] = {
    {"EPERM", EPERM},	{"ENOENT", ENOENT},	  {"EINTR", EINTR},   {"EIO", EIO},
    {"ENXIO", ENXIO},	{"EBADF", EBADF},	  {"EAGAIN", EAGAIN}, {"ENOMEM", ENOMEM},
    {"EACCES", EACCES}, {"EFAULT", EFAULT},	  {"EBUSY", EBUSY},   {"ENODEV", ENODEV},
    {"EINVAL", EINVAL}, {"ENOTTY", ENOTTY},	  {"ENOSPC", ENOSPC}, {"ERANGE", ERANGE},
    {"ENOSYS", ENOSYS}, {"ETIMEDOUT", ETIMEDOUT},
};

const char *sim_errno_name(int err)
{
	static char buf[16];

	for (size_t i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	snprintf(buf, sizeof(buf), "%d", err);
	return buf;
}

int sim_read_file(const char *path, size_t cap, uint8_t **buf, size_t *len)
{
	struct stat st;
	uint8_t *b;
	size_t got = 0;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) != 0) {
		err = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
		goto out;
	}
	if ((uint64_t)st.st_size > cap) {
		err = -EFBIG;
		goto out;
	}
	b = malloc((size_t)st.st_size + 1);
	if (!b) {
		err = -ENOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, b + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			free(b);
			goto out;
		}
		got += (size_t)n;
	}
	b[got] = 0;
	*buf = b;
	*len = got;
	err = 0;
out:
	close(fd);
	return err;
}

/* ------------------------------------------------------------ machine.yaml */

struct mctx {
	const char *file;
	char *err;
	size_t errsz;
};

__attribute__((format(printf, 3, 4))) static int bad(struct mctx *c, const struct ynode *n,
						     const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errsz, "%s:%u:%u: %s", c->file, n ? n->line : 0, n ? n->col : 0, msg);
	return -1;
}

static int get_bool(struct mctx *c, const struct ynode *n, bool *out)
{
	if (ydoc_bool(n, out) != 0)
		return bad(c, n, "expected a boolean (true or false)");
	return 0;
}

static int get_u64(struct mctx *c, const struct ynode *n, uint64_t max, uint64_t *out)
{
	if (ydoc_u64(n, out) != 0)
		return bad(c, n, "expected an unsigned number");
	if (*out > max)
		return bad(c, n, "number too large (at most %llu)", (unsigned long long)max);
	return 0;
}

static int get_hex(struct mctx *c, const struct ynode *n, uint8_t *out, size_t len)
{
	if (ydoc_hex(n, out, len) != 0)
		return bad(c, n, "expected %zu bytes as hex (%zu hex digits)", len, 2 * len);
	return 0;
}

static int get_str(struct mctx *c, const struct ynode *n, const char **out)
{
	if (!n || n->kind != YNODE_SCALAR)
		return bad(c, n, "expected a string");
	*out = n->str;
	return 0;
}

static int get_seq(struct mctx *c, const struct ynode *n)
{
	if (!n || n->kind != YNODE_SEQ)
		return bad(c, n, "expected a list");
	return 0;
}

static int check_keys(struct mctx *c, const struct ynode *map, const char *const *allowed)
{
	const struct ynode *k;

	if (!map || map->kind != YNODE_MAP)
		return bad(c, map, "expected a mapping");
	k = ydoc_unknown_key(map, allowed);
	if (k)
		return bad(c, k, "unknown key '%s'", k->kind == YNODE_SCALAR ? k->str : "?");
	return 0;
}

static void path_join(char *out, size_t size, const char *dir, const char *name)
{
	if (name[0] == '/')
		snprintf(out, size, "%s", name);
	else
		snprintf(out, size, "%s/%s", dir, name);
}

static int load_host_keys(struct mctx *c, struct sim_machine *m, const struct ynode *seq)
{
	if (get_seq(c, seq))
		return -1;
	if (seq->n > SIM_MAX_HOST_KEYS)
		return bad(c, seq, "at most %d host keys", SIM_MAX_HOST_KEYS);
	for (size_t i = 0; i < seq->n; i++) {
		const struct ynode *n = seq->vals[i];
		const char *name;
		char path[2048];
		uint8_t *buf;
		size_t len;
		int rc;

		if (get_str(c, n, &name))
			return -1;
		path_join(path, sizeof(path), m->dir, name);
		rc = sim_read_file(path, SIM_MAX_KEY_FILE, &buf, &len);
		if (rc)
			return bad(c, n, "cannot read host key %s: %s", path, strerror(-rc));
		se_key_init(&m->host_keys[m->n_host_keys]);
		m->n_host_keys++;
		rc = se_key_load(&m->host_keys[m->n_host_keys - 1], buf, len);
		secure_zero(buf, len);
		free(buf);
		if (rc)
			return bad(c, n, "%s is not a P-521 key", path);
		if (!m->host_keys[m->n_host_keys - 1].has_private)
			return bad(c, n, "%s has no private key", path);
	}
	return 0;
}

static int load_se_header(struct mctx *c, struct sim_machine *m, const struct ynode *n)
{
	const char *name;
	char path[2048];
	uint8_t *buf;
	size_t len;
	int rc;

	if (get_str(c, n, &name))
		return -1;
	path_join(path, sizeof(path), m->dir, name);
	rc = sim_read_file(path, SIM_MAX_SE_IMAGE, &buf, &len);
	if (rc)
		return bad(c, n, "cannot read SE header/image %s: %s", path, strerror(-rc));
	rc = se_hdr_tags(buf, len, m->tags);
	free(buf);
	if (rc)
		return bad(c, n, "%s: no valid SE header found", path);
	m->have_tags = true;
	return 0;
}

static const struct {
	const char *name;
	unsigned bit;
} fac_names[] = {
    {"retr_attest", SIM_FAC_RETR_ATTEST},   {"add_secret", SIM_FAC_ADD_SECRET},
    {"list_secrets", SIM_FAC_LIST_SECRETS}, {"lock_secrets", SIM_FAC_LOCK_SECRETS},
    {"retr_secret", SIM_FAC_RETR_SECRET},
};

static int load_facilities(struct mctx *c, struct sim_machine *m, const struct ynode *seq)
{
	if (get_seq(c, seq))
		return -1;
	m->facilities = 0;
	for (size_t i = 0; i < seq->n; i++) {
		const struct ynode *n = seq->vals[i];
		uint64_t bit;
		size_t j;

		if (n->kind == YNODE_SCALAR && !n->quoted && ydoc_u64(n, &bit) == 0) {
			if (bit > 63)
				return bad(c, n, "facility bit must be 0..63");
			m->facilities |= SIM_FAC_BIT(bit);
			continue;
		}
		for (j = 0; j < ARRAY_SIZE(fac_names); j++)
			if (n->kind == YNODE_SCALAR && strcmp(n->str, fac_names[j].name) == 0)
				break;
		if (j == ARRAY_SIZE(fac_names))
			return bad(c, n,
				   "unknown facility (retr_attest, add_secret, list_secrets, "
				   "lock_secrets, retr_secret or an MSB0 bit number)");
		m->facilities |= SIM_FAC_BIT(fac_names[j].bit);
	}
	return 0;
}

static int load_types(struct mctx *c, struct sim_machine *m, const struct ynode *seq)
{
	if (get_seq(c, seq))
		return -1;
	m->supp_types = 0;
	for (size_t i = 0; i < seq->n; i++) {
		uint64_t t;

		if (get_u64(c, seq->vals[i], 63, &t))
			return -1;
		m->supp_types |= SIM_FAC_BIT(t);
	}
	return 0;
}

static int load_versions(struct mctx *c, struct sim_machine *m, const struct ynode *seq)
{
	if (get_seq(c, seq))
		return -1;
	m->supp_req_ver = 0;
	for (size_t i = 0; i < seq->n; i++) {
		uint64_t v;

		if (get_u64(c, seq->vals[i], 64 * 0x100, &v))
			return -1;
		if (v == 0 || v % 0x100)
			return bad(c, seq->vals[i], "a request version is a multiple of 0x100");
		m->supp_req_ver |= SIM_FAC_BIT(v / 0x100 - 1);
	}
	return 0;
}

static int parse_errno(const char *s, int *out)
{
	uint64_t v;

	for (size_t i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (strcmp(s, errno_names[i].name) == 0) {
			*out = errno_names[i].err;
			return 0;
		}
	if (parse_u64(s, 4095, &v) == 0 && v > 0) {
		*out = (int)v;
		return 0;
	}
	return -1;
}

static int load_faults(struct mctx *c, struct sim_machine *m, const struct ynode *seq)
{
	static const char *const keys[] = {"op", "call", "count", "errno", "rc", "rrc", NULL};

	if (get_seq(c, seq))
		return -1;
	if (seq->n > SIM_MAX_FAULTS)
		return bad(c, seq, "at most %d faults", SIM_MAX_FAULTS);
	for (size_t i = 0; i < seq->n; i++) {
		const struct ynode *f = seq->vals[i], *n;
		struct sim_fault *fl = &m->faults[m->n_faults++];
		const char *s;
		uint64_t v;
		int op;

		if (check_keys(c, f, keys))
			return -1;
		n = ydoc_get(f, "op");
		if (!n)
			return bad(c, f, "fault needs 'op'");
		if (get_str(c, n, &s))
			return -1;
		for (op = 0; op < SIM_OP_COUNT; op++)
			if (strcmp(s, op_names[op]) == 0)
				break;
		if (op == SIM_OP_COUNT)
			return bad(c, n, "unknown op '%s' (add, list, lock, retrieve or info)", s);
		fl->op = (enum sim_op)op;
		n = ydoc_get(f, "call");
		if (!n)
			return bad(c, f, "fault needs 'call'");
		if (get_u64(c, n, UINT32_MAX, &fl->call))
			return -1;
		if (fl->call == 0)
			return bad(c, n, "calls are counted from 1");
		fl->count = 1;
		n = ydoc_get(f, "count");
		if (n && get_u64(c, n, UINT32_MAX, &fl->count))
			return -1;
		n = ydoc_get(f, "errno");
		if (n) {
			if (get_str(c, n, &s))
				return -1;
			if (parse_errno(s, &fl->err))
				return bad(c, n, "unknown errno '%s'", s);
		}
		n = ydoc_get(f, "rc");
		if (n) {
			if (fl->err)
				return bad(c, n, "a fault has either 'errno' or 'rc'");
			if (get_u64(c, n, 0xffff, &v))
				return -1;
			fl->rc = (uint16_t)v;
		} else if (!fl->err) {
			return bad(c, f, "fault needs 'errno' or 'rc'");
		}
		n = ydoc_get(f, "rrc");
		if (n) {
			if (get_u64(c, n, 0xffff, &v))
				return -1;
			fl->rrc = (uint16_t)v;
		}
	}
	return 0;
}

static int disk_str(struct mctx *c, const struct ynode *d, const char *key, char *out, size_t size)
{
	const struct ynode *n = ydoc_get(d, key);
	const char *s;

	if (!n)
		return 0;
	if (get_str(c, n, &s))
		return -1;
	if (!*s || strlen(s) >= size)
		return bad(c, n, "%s: expected 1 to %zu bytes", key, size - 1);
	snprintf(out, size, "%s", s);
	return 0;
}

static int load_disks(struct mctx *c, struct sim_machine *m, const struct ynode *seq)
{
	static const char *const keys[] = {"dev",      "label", "uuid",	      "partlabel",
					   "partuuid", "dir",	"appears_ms", "mount_errno",
					   "fstype",   "devno", "image",      NULL};

	if (get_seq(c, seq))
		return -1;
	if (seq->n > SIM_MAX_DISKS)
		return bad(c, seq, "at most %d disks", SIM_MAX_DISKS);
	for (size_t i = 0; i < seq->n; i++) {
		const struct ynode *d = seq->vals[i], *n;
		struct sim_disk *dk = &m->disks[m->n_disks++];
		char dir[sizeof(dk->dir)];
		const char *s;

		if (check_keys(c, d, keys))
			return -1;
		if (!ydoc_get(d, "dev") || !ydoc_get(d, "dir"))
			return bad(c, d, "a disk needs 'dev' and 'dir'");
		if (disk_str(c, d, "dev", dk->dev, sizeof(dk->dev)) ||
		    disk_str(c, d, "label", dk->label, sizeof(dk->label)) ||
		    disk_str(c, d, "uuid", dk->uuid, sizeof(dk->uuid)) ||
		    disk_str(c, d, "partlabel", dk->partlabel, sizeof(dk->partlabel)) ||
		    disk_str(c, d, "partuuid", dk->partuuid, sizeof(dk->partuuid)) ||
		    disk_str(c, d, "dir", dir, sizeof(dir)))
			return -1;
		if (strncmp(dk->dev, "/dev/", 5) != 0)
			return bad(c, ydoc_get(d, "dev"), "dev must start with /dev/");
		snprintf(dk->fstype, sizeof(dk->fstype), "ext4");
		if (disk_str(c, d, "fstype", dk->fstype, sizeof(dk->fstype)))
			return -1;
		path_join(dk->dir, sizeof(dk->dir), m->dir, dir);
		dk->major = 254;
		dk->minor = (unsigned)i * 16;
		if ((n = ydoc_get(d, "devno"))) {
			if (get_str(c, n, &s))
				return -1;
			if (sscanf(s, "%u:%u", &dk->major, &dk->minor) != 2)
				return bad(c, n, "devno is MAJOR:MINOR");
		}
		if (ydoc_get(d, "image")) {
			char img[sizeof(dk->image)];

			if (disk_str(c, d, "image", img, sizeof(img)))
				return -1;
			path_join(dk->image, sizeof(dk->image), m->dir, img);
		}
		if ((n = ydoc_get(d, "appears_ms")) && get_u64(c, n, UINT32_MAX, &dk->appears_ms))
			return -1;
		if ((n = ydoc_get(d, "mount_errno"))) {
			if (get_str(c, n, &s))
				return -1;
			if (parse_errno(s, &dk->mount_errno))
				return bad(c, n, "unknown errno '%s'", s);
		}
	}
	return 0;
}

static int load_dm(struct mctx *c, struct sim_machine *m, const struct ynode *d)
{
	static const char *const keys[] = {"status", "output", "table", NULL};
	const struct ynode *n;
	const char *s;
	uint64_t v;

	if (check_keys(c, d, keys))
		return -1;
	if ((n = ydoc_get(d, "status"))) {
		if (get_u64(c, n, 255, &v))
			return -1;
		m->dm.status = (int)v;
	}
	if ((n = ydoc_get(d, "output"))) {
		if (get_str(c, n, &s))
			return -1;
		if (strlen(s) >= sizeof(m->dm.output))
			return bad(c, n, "output: at most %zu bytes", sizeof(m->dm.output) - 1);
		snprintf(m->dm.output, sizeof(m->dm.output), "%s", s);
	}
	if ((n = ydoc_get(d, "table"))) {
		if (get_str(c, n, &s))
			return -1;
		if (strlen(s) >= sizeof(m->dm.table) || strchr(s, '\n'))
			return bad(c, n, "table: one line of at most %zu bytes",
				   sizeof(m->dm.table) - 1);
		snprintf(m->dm.table, sizeof(m->dm.table), "%s", s);
	}
	return 0;
}

static void machine_defaults(struct sim_machine *m)
{
	m->se_guest = true;
	m->uvdevice = SIM_UVDEV_PRESENT;
	m->kernel = SIM_KERNEL_MAINLINE;
	m->max_assoc = 256;
	m->max_retr = 256;
	m->supp_pcf = ASR_FLAG_DISABLE_DUMP;
	m->supp_req_ver = SIM_FAC_BIT(0);
	m->supp_types = 0;
	for (unsigned t = SECRET_NULL; t <= SECRET_HMAC_SHA_512; t++)
		m->supp_types |= SIM_FAC_BIT(t);
	for (unsigned t = SECRET_EC_P256; t <= SECRET_UPDATE_CCK; t++)
		m->supp_types |= SIM_FAC_BIT(t);
	m->facilities = SIM_FAC_BIT(SIM_FAC_RETR_ATTEST) | SIM_FAC_BIT(SIM_FAC_ADD_SECRET) |
			SIM_FAC_BIT(SIM_FAC_LIST_SECRETS) | SIM_FAC_BIT(SIM_FAC_LOCK_SECRETS) |
			SIM_FAC_BIT(SIM_FAC_RETR_SECRET);
}

static int machine_parse(struct mctx *c, struct sim_machine *m, const struct ynode *root)
{
	static const char *const keys[] = {
	    "se_guest",
	    "uvdevice",
	    "kernel",
	    "host_keys",
	    "se_header",
	    "cuid",
	    "scf",
	    "cck",
	    "max_assoc_secrets",
	    "max_retr_secrets",
	    "supp_add_secret_pcf",
	    "secret_types",
	    "request_versions",
	    "facilities",
	    "dump_in_progress",
	    "cmdline",
	    "faults",
	    "disks",
	    "dm",
	    "clock",
	    "ap",
	    "host",
	    NULL,
	};
	static const char *const scf_keys[] = {"cck_extension_secret_enforcement",
					       "cck_update_allowed", NULL};
	const struct ynode *n;
	const char *s;

	if (!root)
		return 0; /* an empty file: all defaults */
	if (check_keys(c, root, keys))
		return -1;
	if ((n = ydoc_get(root, "se_guest")) && get_bool(c, n, &m->se_guest))
		return -1;
	if ((n = ydoc_get(root, "uvdevice"))) {
		if (get_str(c, n, &s))
			return -1;
		if (strcmp(s, "present") == 0)
			m->uvdevice = SIM_UVDEV_PRESENT;
		else if (strcmp(s, "absent") == 0)
			m->uvdevice = SIM_UVDEV_ABSENT;
		else if (strcmp(s, "eacces") == 0)
			m->uvdevice = SIM_UVDEV_EACCES;
		else
			return bad(c, n, "uvdevice is present, absent or eacces");
	}
	if ((n = ydoc_get(root, "kernel"))) {
		if (get_str(c, n, &s))
			return -1;
		if (strcmp(s, "mainline") == 0)
			m->kernel = SIM_KERNEL_MAINLINE;
		else if (strcmp(s, "old") == 0)
			m->kernel = SIM_KERNEL_OLD;
		else
			return bad(c, n, "kernel is mainline or old");
	}
	if ((n = ydoc_get(root, "host_keys")) && load_host_keys(c, m, n))
		return -1;
	if ((n = ydoc_get(root, "se_header")) && load_se_header(c, m, n))
		return -1;
	if ((n = ydoc_get(root, "cuid")) && get_hex(c, n, m->cuid, sizeof(m->cuid)))
		return -1;
	if ((n = ydoc_get(root, "scf"))) {
		const struct ynode *f;

		if (check_keys(c, n, scf_keys))
			return -1;
		if ((f = ydoc_get(n, scf_keys[0])) && get_bool(c, f, &m->scf_cck_enforce))
			return -1;
		if ((f = ydoc_get(n, scf_keys[1])) && get_bool(c, f, &m->scf_cck_update))
			return -1;
		if (m->scf_cck_enforce && m->scf_cck_update)
			return bad(c, n, "an SE header cannot have both SCF bits (pvimg refuses)");
	}
	if ((n = ydoc_get(root, "cck")) && get_hex(c, n, m->cck, sizeof(m->cck)))
		return -1;
	if ((n = ydoc_get(root, "max_assoc_secrets")) && get_u64(c, n, 0xffff, &m->max_assoc))
		return -1;
	if ((n = ydoc_get(root, "max_retr_secrets")) && get_u64(c, n, 0xffff, &m->max_retr))
		return -1;
	if (m->max_assoc + m->max_retr > SIM_MAX_STORE)
		return bad(c, root, "max_assoc_secrets + max_retr_secrets is at most %d",
			   SIM_MAX_STORE);
	if ((n = ydoc_get(root, "supp_add_secret_pcf")) && get_u64(c, n, UINT64_MAX, &m->supp_pcf))
		return -1;
	if ((n = ydoc_get(root, "secret_types")) && load_types(c, m, n))
		return -1;
	if ((n = ydoc_get(root, "request_versions")) && load_versions(c, m, n))
		return -1;
	if ((n = ydoc_get(root, "facilities")) && load_facilities(c, m, n))
		return -1;
	if ((n = ydoc_get(root, "dump_in_progress")) && get_bool(c, n, &m->dump_in_progress))
		return -1;
	if ((n = ydoc_get(root, "cmdline"))) {
		if (get_str(c, n, &s))
			return -1;
		if (strlen(s) >= sizeof(m->cmdline) - 1 || strchr(s, '\n'))
			return bad(c, n, "cmdline must be one line of less than %zu bytes",
				   sizeof(m->cmdline) - 1);
		snprintf(m->cmdline, sizeof(m->cmdline), "%s", s);
	}
	if ((n = ydoc_get(root, "faults")) && load_faults(c, m, n))
		return -1;
	if ((n = ydoc_get(root, "disks")) && load_disks(c, m, n))
		return -1;
	if ((n = ydoc_get(root, "dm")) && load_dm(c, m, n))
		return -1;
	if ((n = ydoc_get(root, "clock"))) {
		if (get_str(c, n, &s))
			return -1;
		if (strcmp(s, "virtual") == 0)
			m->virtual_clock = true;
		else if (strcmp(s, "real") != 0)
			return bad(c, n, "clock must be real or virtual");
	}
	if ((n = ydoc_get(root, "ap")) && sim_ap_parse(c->file, n, &m->ap, c->err, c->errsz))
		return -1;
	if ((n = ydoc_get(root, "host"))) {
		static const char *const simulated_only[] = {"cmdline", "disks", "dm", "clock",
							     NULL};

		if (get_str(c, n, &s))
			return -1;
		if (strcmp(s, "real") == 0)
			m->real_host = true;
		else if (strcmp(s, "simulated") != 0)
			return bad(c, n, "host must be simulated or real");
		for (size_t i = 0; m->real_host && simulated_only[i]; i++)
			if (ydoc_get(root, simulated_only[i]))
				return bad(c, ydoc_get(root, simulated_only[i]),
					   "%s is the real system's with host: real",
					   simulated_only[i]);
	}
	return 0;
}

int sim_machine_load(const char *dir, struct sim_machine *m, char *err, size_t errsz)
{
	char path[2048];
	struct mctx c = {path, err, errsz};
	struct yerror yerr = {0};
	struct ydoc *doc;
	uint8_t *buf;
	size_t len;
	int rc;

	memset(m, 0, sizeof(*m));
	machine_defaults(m);
	if (strlen(dir) >= sizeof(m->dir)) {
		snprintf(err, errsz, "%s: path too long", dir);
		return -1;
	}
	snprintf(m->dir, sizeof(m->dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/machine.yaml", dir);
	rc = sim_read_file(path, SIM_MAX_YAML_FILE, &buf, &len);
	if (rc) {
		snprintf(err, errsz, "%s:0:0: cannot read: %s", path,
			 rc == -EFBIG ? "larger than 64 KiB" : strerror(-rc));
		return -1;
	}
	doc = ydoc_parse((const char *)buf, len, &yerr);
	free(buf);
	if (!doc) {
		snprintf(err, errsz, "%s:%u:%u: %s", path, yerr.line, yerr.col, yerr.msg);
		return -1;
	}
	rc = machine_parse(&c, m, ydoc_root(doc));
	ydoc_free(doc);
	if (rc)
		sim_machine_free(m);
	return rc;
}

void sim_machine_free(struct sim_machine *m)
{
	for (size_t i = 0; i < m->n_host_keys; i++)
		se_key_free(&m->host_keys[i]);
	m->n_host_keys = 0;
	sim_ap_free(m->ap);
	m->ap = NULL;
}

/* ------------------------------------------------------------ state */

void sim_state_free(struct sim_state *st)
{
	for (size_t i = 0; i < st->n_store; i++) {
		secure_zero(st->store[i].value, st->store[i].value_len);
		free(st->store[i].value);
	}
	free(st->store);
	memset(st, 0, sizeof(*st));
}

struct sctx {
	const char *file;
	unsigned line;
	const char *linestart;
	char *err;
	size_t errsz;
};

__attribute__((format(printf, 3, 4))) static int sbad(struct sctx *c, const char *at,
						      const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errsz, "%s:%u:%u: %s", c->file, c->line,
		 at ? (unsigned)(at - c->linestart) + 1 : 1, msg);
	return -1;
}

/* Split the line (modified in place) into space-separated tokens. */
static size_t tokenize(char *line, char **tok, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (*p && n < max) {
		while (*p == ' ')
			*p++ = 0;
		if (!*p)
			break;
		tok[n++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return n;
}

static int tok_u64(struct sctx *c, const char *t, uint64_t max, uint64_t *out)
{
	if (parse_u64(t, max, out))
		return sbad(c, t, "expected a number up to %llu", (unsigned long long)max);
	return 0;
}

static int tok_hex(struct sctx *c, const char *t, uint8_t *out, size_t len)
{
	if (hex_decode(t, out, len))
		return sbad(c, t, "expected %zu hex digits", 2 * len);
	return 0;
}

/* "key=value": returns the value if the key matches. */
static const char *kv(const char *t, const char *key)
{
	size_t n = strlen(key);

	return strncmp(t, key, n) == 0 && t[n] == '=' ? t + n + 1 : NULL;
}

static int parse_secret(struct sctx *c, struct sim_state *st, char **tok, size_t n)
{
	static const char *const keys[] = {"index", "type", "len", "id", "value"};
	struct sim_secret sec = {0};
	const char *v;
	uint64_t x;

	if (n != 6)
		return sbad(c, NULL, "secret needs index= type= len= id= value=");
	for (size_t i = 0; i < 5; i++)
		if (!kv(tok[i + 1], keys[i]))
			return sbad(c, tok[i + 1], "expected %s=", keys[i]);
	if (tok_u64(c, kv(tok[1], "index"), 0xffff, &x))
		return -1;
	sec.index = (uint16_t)x;
	if (tok_u64(c, kv(tok[2], "type"), 0xffff, &x))
		return -1;
	sec.type = (uint16_t)x;
	if (!sim_type_listable(sec.type))
		return sbad(c, tok[2], "type is not a listable secret type");
	if (tok_u64(c, kv(tok[3], "len"), 0xffffffff, &x))
		return -1;
	sec.len = (uint32_t)x;
	if (tok_hex(c, kv(tok[4], "id"), sec.id, 32))
		return -1;
	v = kv(tok[5], "value");
	if (strlen(v) % 2 || strlen(v) / 2 > 0x2000 || strlen(v) == 0)
		return sbad(c, v, "value must be 1..8192 bytes of hex");
	sec.value_len = (uint32_t)(strlen(v) / 2);
	if (sim_listed_len(sec.type, sec.value_len) != sec.len)
		return sbad(c, tok[3], "len does not match type and value");
	if (st->n_store && st->store[st->n_store - 1].index >= sec.index)
		return sbad(c, tok[1], "indices must be ascending");
	if (st->n_store >= SIM_MAX_STORE)
		return sbad(c, NULL, "too many secrets");
	sec.value = malloc(sec.value_len);
	if (!sec.value || hex_decode(v, sec.value, sec.value_len)) {
		free(sec.value);
		return sbad(c, v, "bad hex value");
	}
	if (st->n_store == st->cap_store) {
		size_t cap = st->cap_store ? 2 * st->cap_store : 64;
		struct sim_secret *p = realloc(st->store, cap * sizeof(*p));

		if (!p) {
			free(sec.value);
			return sbad(c, NULL, "out of memory");
		}
		st->store = p;
		st->cap_store = cap;
	}
	st->store[st->n_store++] = sec;
	return 0;
}

static int parse_state_line(struct sctx *c, struct sim_state *st, char *line)
{
	char *tok[8];
	size_t n = tokenize(line, tok, ARRAY_SIZE(tok));
	uint64_t x;

	if (n == 0 || tok[0][0] == '#')
		return 0;
	if (strcmp(tok[0], "secret") == 0)
		return parse_secret(c, st, tok, n);
	if (strcmp(tok[0], "calls") == 0) {
		if (n != 1 + SIM_OP_COUNT)
			return sbad(c, tok[0], "calls needs %d counters", SIM_OP_COUNT);
		for (int i = 0; i < SIM_OP_COUNT; i++) {
			const char *v = kv(tok[i + 1], op_names[i]);

			if (!v)
				return sbad(c, tok[i + 1], "expected %s=", op_names[i]);
			if (tok_u64(c, v, UINT32_MAX, &st->calls[i]))
				return -1;
		}
		return 0;
	}
	if (n != 2)
		return sbad(c, tok[0], "expected '<key> <value>'");
	if (strcmp(tok[0], "version") == 0) {
		if (strcmp(tok[1], "1") != 0)
			return sbad(c, tok[1], "unknown state version");
	} else if (strcmp(tok[0], "locked") == 0 || strcmp(tok[0], "dump_disabled") == 0) {
		if (tok_u64(c, tok[1], 1, &x))
			return -1;
		if (tok[0][0] == 'l')
			st->locked = x;
		else
			st->dump_disabled = x;
	} else if (strcmp(tok[0], "cck") == 0) {
		return tok_hex(c, tok[1], st->cck, 32);
	} else if (strcmp(tok[0], "ext_secret") == 0) {
		st->ext_pinned = strcmp(tok[1], "-") != 0;
		if (st->ext_pinned)
			return tok_hex(c, tok[1], st->ext_secret, 32);
	} else if (strcmp(tok[0], "next_index") == 0) {
		if (tok_u64(c, tok[1], 0x10000, &x))
			return -1;
		st->next_index = (uint32_t)x;
	} else if (strcmp(tok[0], "clock_offset_ns") == 0) {
		return tok_u64(c, tok[1], UINT64_MAX / 2, &st->clock_offset_ns);
	} else {
		return sbad(c, tok[0], "unknown key '%s'", tok[0]);
	}
	return 0;
}

int sim_state_load(const char *dir, const struct sim_machine *m, struct sim_state *st, char *err,
		   size_t errsz)
{
	char path[2048];
	struct sctx c = {path, 0, NULL, err, errsz};
	uint8_t *buf;
	char *p, *nl;
	size_t len;
	int rc;

	memset(st, 0, sizeof(*st));
	memcpy(st->cck, m->cck, sizeof(st->cck));
	snprintf(path, sizeof(path), "%s/state", dir);
	rc = sim_read_file(path, SIM_MAX_STATE_FILE, &buf, &len);
	if (rc == -ENOENT)
		return 0; /* a freshly booted machine */
	if (rc) {
		snprintf(err, errsz, "%s:0:0: cannot read: %s", path, strerror(-rc));
		return -1;
	}
	if (memchr(buf, 0, len)) {
		free(buf);
		snprintf(err, errsz, "%s:0:0: contains a NUL byte", path);
		return -1;
	}
	for (p = (char *)buf; *p; p = nl + 1) {
		c.line++;
		c.linestart = p;
		nl = strchr(p, '\n');
		if (!nl) {
			snprintf(err, errsz, "%s:%u:1: last line has no newline", path, c.line);
			rc = -1;
			break;
		}
		*nl = 0;
		rc = parse_state_line(&c, st, p);
		if (rc)
			break;
	}
	free(buf);
	if (!rc && st->n_store && st->store[st->n_store - 1].index >= st->next_index) {
		snprintf(err, errsz, "%s:0:0: next_index is not above every stored index", path);
		rc = -1;
	}
	if (rc)
		sim_state_free(st);
	return rc;
}

static void put_hex(FILE *f, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		fprintf(f, "%02x", p[i]);
}

void sim_save(struct sim *s)
{
	const struct sim_state *st = &s->st;
	char path[2048], tmp[2100];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/state", s->m.dir);
	snprintf(tmp, sizeof(tmp), "%s/.state.%ld.tmp", s->m.dir, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || !(f = fdopen(fd, "w")))
		sim_die("%s: cannot write: %s", tmp, strerror(errno));
	fprintf(f,
		"# pvboot-sim machine state, rewritten after every call (tests/sim/README.md)\n");
	fprintf(f, "version 1\nlocked %d\ndump_disabled %d\ncck ", st->locked, st->dump_disabled);
	put_hex(f, st->cck, 32);
	fprintf(f, "\next_secret ");
	if (st->ext_pinned)
		put_hex(f, st->ext_secret, 32);
	else
		fputc('-', f);
	fprintf(f, "\nnext_index %u\nclock_offset_ns %llu\ncalls", st->next_index,
		(unsigned long long)st->clock_offset_ns);
	for (int i = 0; i < SIM_OP_COUNT; i++)
		fprintf(f, " %s=%llu", op_names[i], (unsigned long long)st->calls[i]);
	fputc('\n', f);
	for (size_t i = 0; i < st->n_store; i++) {
		const struct sim_secret *sec = &st->store[i];

		fprintf(f, "secret index=%u type=0x%04x len=%u id=", sec->index, sec->type,
			sec->len);
		put_hex(f, sec->id, 32);
		fputs(" value=", f);
		put_hex(f, sec->value, sec->value_len);
		fputc('\n', f);
	}
	if (fflush(f) != 0 || ferror(f)) {
		fclose(f);
		unlink(tmp);
		sim_die("%s: write failed", tmp);
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		sim_die("%s: cannot replace: %s", path, strerror(errno));
	}
}

void sim_log(struct sim *s, const char *fmt, ...)
{
	char path[2048];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/uv.log", s->m.dir);
	f = fopen(path, "ae");
	if (!f)
		sim_die("%s: cannot append: %s", path, strerror(errno));
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	if (fclose(f) != 0)
		sim_die("%s: write failed", path);
}

const struct sim_fault *sim_fault_for(const struct sim *s, enum sim_op op)
{
	uint64_t call = s->st.calls[op];

	for (size_t i = 0; i < s->m.n_faults; i++) {
		const struct sim_fault *f = &s->m.faults[i];

		if (f->op == op && call >= f->call && call - f->call < f->count)
			return f;
	}
	return NULL;
}

/* ------------------------------------------------------------ the process's machine */

/* A booted guest always has its /run (a tmpfs): <machine>/root/run, as the system makes it. */
static void sim_guest_run(const char *dir)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/root", dir);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		sim_die("%s: cannot create: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/root/run", dir);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		sim_die("%s: cannot create: %s", path, strerror(errno));
}

struct sim *sim_get(void)
{
	const char *dir = getenv(SIM_ENV);
	char err[1024];

	if (sim_loaded)
		return &the_sim;
	if (!dir || !*dir) {
		if (!sim_unset_reported)
			fprintf(stderr, "pvboot-sim: " SIM_ENV " is not set\n");
		sim_unset_reported = true;
		return NULL;
	}
	if (sim_machine_load(dir, &the_sim.m, err, sizeof(err)))
		sim_die("%s", err);
	if (sim_state_load(dir, &the_sim.m, &the_sim.st, err, sizeof(err)))
		sim_die("%s", err);
	sim_guest_run(dir);
	sim_loaded = true;
	return &the_sim;
}

void sim_reset(void)
{
	if (sim_loaded) {
		sim_kmsg_close(&the_sim);
		sim_state_free(&the_sim.st);
		sim_machine_free(&the_sim.m);
	}
	sim_loaded = false;
	sim_unset_reported = false;
}
