# pvboot — plain Makefile.
#
#   make                 static musl x86_64 ./pvboot
#   make s390x           the same for s390x (build/musl-s390x/pvboot), ARCH=s390x works too
#   make asan            glibc debug build with ASan + UBSan (build/asan/)
#   make check           every test layer: native, ASan+UBSan, s390x under qemu-user, fuzz
#                        smoke, shellcheck, reproducibility (make check-repro), QEMU
#                        boot tests (make check-boot, make check-boot-s390x)
#   make demo            the main job on the simulator with bundled sample data
#   make fuzz            longer fuzz runs (FUZZ_SECONDS per target)
#   make bench           size and instruction counts (bench/README.md); make check runs
#                        every bench script once without valgrind (check-bench-smoke)
#   make install         binary, man pages, dracut module, initramfs-tools files, examples
#                        (PREFIX=/usr/local DESTDIR=; ARCH=s390x installs the s390x binary)
#   make uninstall       removes what make install installed
#   make dist            reproducible source tarball (build/dist/pvboot-VERSION.tar.gz)
#   make deb / make rpm  Debian packages (amd64, s390x) and RPMs (x86_64, s390x) built
#                        from it, checked with lintian / rpmlint (build/pkg/; dist/)
#   make check-pkg       the .deb installed, upgraded, purged in a throw-away root
#   make check-boot      boot images in QEMU (dracut, initramfs-tools; tests/boot/README.md)
#   make check-boot-s390x  the same with s390x images, Debian's s390x kernel, qemu-system-s390x
#                        (the s390x .deb installed with dpkg in an s390x root); make check
#                        runs both at once (make check-boot-both); BOOT_BENCH=1: bench lines
#
# Dependencies (mbedTLS, libyaml) are built from Debian source packages pinned in
# deps/manifest; everything lands under build/ and a second make does not re-download.

VERSION := 0.1.0
B := build
JOBS := $(shell nproc 2>/dev/null || echo 2)

# Reproducible builds: the same commit gives the same bytes in any directory, at any
# time, in any locale (ci/check-repro.sh checks it). Paths below the checkout are
# recorded relative to it, file lists are sorted the same way everywhere, and
# SOURCE_DATE_EPOCH (default: the commit's time) is there for anything needing a date.
export LC_ALL := C
export TZ := UTC
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
REPRO := -ffile-prefix-map=$(CURDIR)/=

# Build tools are Debian packages (ci/install-deps.sh has the groups). Top-level
# targets make sure theirs are there: as root they are installed, otherwise make stops
# with one line naming the command to run.
ENSURE = @sh ci/install-deps.sh --ensure

ifeq ($(ARCH),s390x)
FLAVOUR ?= musl-s390x
endif
FLAVOUR ?= musl-x86_64
O := $(B)/$(FLAVOUR)

WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla -Wno-unused-parameter
# No unwind tables: C without exceptions never unwinds, and .eh_frame was 37 KB of the
# stripped s390x binary (bench/README.md).
SIZE := -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables

ifeq ($(FLAVOUR),musl-x86_64)
XCC := musl-gcc
XAR := ar
XSTRIP := strip
OPT := -Os $(SIZE)
LDOPT := -static -Wl,--gc-sections
RUN :=
else ifeq ($(FLAVOUR),musl-s390x)
XCC := s390x-linux-musl-gcc
XAR := s390x-linux-gnu-ar
XSTRIP := s390x-linux-gnu-strip
OPT := -Os $(SIZE)
LDOPT := -static -Wl,--gc-sections
RUN := qemu-s390x-static
else ifeq ($(FLAVOUR),asan)
XCC := gcc
XAR := ar
XSTRIP := strip
OPT := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDOPT := -fsanitize=address,undefined
RUN :=
else ifeq ($(FLAVOUR),fuzz)
XCC := clang
XAR := ar
XSTRIP := strip
OPT := -O1 -g -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all
LDOPT := -fsanitize=address,undefined
RUN :=
else
$(error unknown FLAVOUR '$(FLAVOUR)': musl-x86_64, musl-s390x, asan or fuzz)
endif

MBEDTLS := $(CURDIR)/$(B)/src/mbedtls
# <...>, not "...": mbedTLS's build_info.h includes MBEDTLS_CONFIG_FILE from its own
# directory first, where "mbedtls_config.h" is the library's full default configuration.
LIBYAML := $(CURDIR)/$(B)/src/libyaml
LIBS := $(O)/lib/libyaml.a $(O)/lib/libmbedcrypto.a
DEPCFLAGS := $(OPT) $(REPRO) -w -I$(CURDIR)/deps
CFLAGS_ALL := $(WARN) $(OPT) $(REPRO) -D_GNU_SOURCE -DPVBOOT_VERSION='"$(VERSION)"' \
	-Isrc -Itests/common -Itests/sim -I$(MBEDTLS)/include -I$(LIBYAML)/include -Ideps \
	-DMBEDTLS_CONFIG_FILE="<mbedtls_config.h>" -DYAML_DECLARE_STATIC -MMD -MP

CORE_SRCS := $(filter-out src/main.c src/host_linux.c,$(wildcard src/*.c))
SIM_SRCS := $(wildcard tests/sim/*.c) $(wildcard tests/common/*.c)
UNIT_SRCS := $(wildcard tests/unit/*.c)
MKASR_SRCS := tests/tools/mkasr.c
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)

obj = $(patsubst %.c,$(O)/obj/%.o,$(1))
CORE_OBJS := $(call obj,$(CORE_SRCS))
SIM_OBJS := $(call obj,$(SIM_SRCS)) $(O)/obj/tests/sim/host_real.o

BINS := $(O)/pvboot $(O)/pvboot-sim $(O)/unit $(O)/mkasr

.PHONY: all flavour-all s390x asan check check-flavour check-unit check-cases \
	check-fuzz-smoke check-shell check-repro check-boot check-boot-s390x install uninstall \
	demo fuzz bench check-bench-smoke clean distclean deps dist deb rpm packages check-pkg \
	boot-prep-x86_64 boot-run-x86_64 boot-prep-s390x boot-run-s390x check-boot-both

all: pvboot

pvboot: FORCE
	$(ENSURE) build
	@$(MAKE) --no-print-directory FLAVOUR=musl-x86_64 $(B)/musl-x86_64/pvboot
	@cp $(B)/musl-x86_64/pvboot $@

FORCE:

flavour-all: $(BINS)

s390x:
	$(ENSURE) build s390x
	$(MAKE) --no-print-directory FLAVOUR=musl-s390x flavour-all

asan:
	$(ENSURE) build clang
	$(MAKE) --no-print-directory FLAVOUR=asan flavour-all

# ---------------------------------------------------------------- dependencies

# Objects and libraries depend on the flags they were built with: a changed flag
# rebuilds them, so a tree never mixes objects of two configurations.
FLAGS_NOW = $(XCC) $(CFLAGS_ALL) $(DEPCFLAGS) $(LDOPT)
$(O)/flags: FORCE
	@mkdir -p $(O)
	@echo '$(FLAGS_NOW)' | cmp -s - $@ || echo '$(FLAGS_NOW)' >$@

deps: $(MBEDTLS)/.pvboot-fetched $(LIBYAML)/.pvboot-fetched

$(CURDIR)/$(B)/src/%/.pvboot-fetched: deps/manifest deps/fetch.sh
	deps/fetch.sh $* $(CURDIR)/$(B)

$(O)/lib/libmbedcrypto.a: $(MBEDTLS)/.pvboot-fetched deps/mbedtls_config.h $(O)/flags
	@rm -rf $(O)/mbedtls && mkdir -p $(O)/mbedtls $(O)/lib
	@echo "  DEP     mbedtls ($(FLAVOUR))"
	@cd $(O)/mbedtls && ls $(MBEDTLS)/library/*.c | xargs -P $(JOBS) -n 8 sh -ec \
		'for f; do $(XCC) $(DEPCFLAGS) -DMBEDTLS_CONFIG_FILE=\<mbedtls_config.h\> \
		-I$(MBEDTLS)/include -I$(MBEDTLS)/library \
		-c $$f -o $${f##*/}.o; done' sh
	@rm -f $@ && $(XAR) rcsD $@ $(O)/mbedtls/*.o

$(O)/lib/libyaml.a: $(LIBYAML)/.pvboot-fetched $(O)/flags
	@rm -rf $(O)/libyaml && mkdir -p $(O)/libyaml $(O)/lib
	@echo "  DEP     libyaml ($(FLAVOUR))"
	@cd $(O)/libyaml && for f in $(LIBYAML)/src/*.c; do \
		$(XCC) $(DEPCFLAGS) -DYAML_DECLARE_STATIC -DYAML_VERSION_MAJOR=0 \
		-DYAML_VERSION_MINOR=2 -DYAML_VERSION_PATCH=5 -DYAML_VERSION_STRING='"0.2.5"' \
		-I$(LIBYAML)/include -c $$f -o $${f##*/}.o || exit 1; done
	@rm -f $@ && $(XAR) rcsD $@ $(O)/libyaml/*.o

# ---------------------------------------------------------------- our code

$(O)/obj/%.o: %.c $(LIBS) $(O)/flags
	@mkdir -p $(dir $@)
	@echo "  CC      $< ($(FLAVOUR))"
	@$(XCC) $(CFLAGS_ALL) -c $< -o $@

# host_linux.c once more with real_host_* names, for pvboot-sim's "host: real"
$(O)/obj/tests/sim/host_real.o: src/host_linux.c tests/sim/host_real.h $(LIBS) $(O)/flags
	@mkdir -p $(dir $@)
	@echo "  CC      $< as real_host_* ($(FLAVOUR))"
	@$(XCC) $(CFLAGS_ALL) -include tests/sim/host_real.h -c $< -o $@

$(O)/pvboot: $(call obj,src/main.c src/host_linux.c) $(CORE_OBJS) $(LIBS)
	@echo "  LD      $@"
	@$(XCC) $(OPT) $(LDOPT) -o $@ $(filter %.o,$^) $(LIBS)
	@case "$(FLAVOUR)" in musl-*) $(XSTRIP) -o $@.stripped $@ ;; esac

$(O)/pvboot-sim: $(call obj,src/main.c) $(CORE_OBJS) $(SIM_OBJS) $(LIBS)
	@echo "  LD      $@"
	@$(XCC) $(OPT) $(LDOPT) -o $@ $(filter %.o,$^) $(LIBS)

$(O)/unit: $(call obj,$(UNIT_SRCS)) $(CORE_OBJS) $(SIM_OBJS) $(LIBS)
	@echo "  LD      $@"
	@$(XCC) $(OPT) $(LDOPT) -o $@ $(filter %.o,$^) $(LIBS)

$(O)/mkasr: $(call obj,$(MKASR_SRCS)) $(CORE_OBJS) $(SIM_OBJS) $(LIBS)
	@echo "  LD      $@"
	@$(XCC) $(OPT) $(LDOPT) -o $@ $(filter %.o,$^) $(LIBS)

$(O)/fuzz/%: $(O)/obj/tests/fuzz/%.o $(CORE_OBJS) $(SIM_OBJS) $(LIBS)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(XCC) $(OPT) -fsanitize=fuzzer $(LDOPT) -o $@ $(filter %.o,$^) $(LIBS)

-include $(shell find $(O)/obj -name '*.d' 2>/dev/null)

# ---------------------------------------------------------------- tests

NATIVE_MKASR := $(B)/musl-x86_64/mkasr

check:
	$(ENSURE) build s390x clang check pkg boot boot-s390x
	$(MAKE) --no-print-directory FLAVOUR=musl-x86_64 check-flavour
	$(MAKE) --no-print-directory FLAVOUR=asan check-flavour
	$(MAKE) --no-print-directory FLAVOUR=musl-s390x check-flavour
	$(MAKE) --no-print-directory FLAVOUR=fuzz check-fuzz-smoke
	$(MAKE) --no-print-directory check-shell
	$(MAKE) --no-print-directory check-bench-smoke
	$(MAKE) --no-print-directory check-repro
	$(MAKE) --no-print-directory check-pkg
	$(MAKE) --no-print-directory check-boot-both
	@echo "make check: all test layers passed"

check-flavour: check-unit check-cases

# Every shell script in the tree, shipped or not, passes shellcheck; the set-up
# script every target runs first has its own tests. What ships into an initramfs is
# POSIX sh (module-setup.sh runs in dracut's bash), checked as such even where a
# sourced hook has no #! line.
SHIPPED_SH := dracut-module/pvboot-glue.sh dracut-module/pvboot-systemd.sh \
	dracut-module/pvboot-pre-trigger.sh dracut-module/pvboot-finished.sh \
	dracut-module/pvboot-job.sh dracut-module/pvboot-wipe.sh dracut-module/pvboot-pre-pivot.sh \
	dracut-module/pvboot-stop.sh dracut-module/pvboot-root-check.sh initramfs-tools/hooks/pvboot \
	initramfs-tools/scripts/init-premount/pvboot initramfs-tools/scripts/local-premount/pvboot \
	initramfs-tools/scripts/init-bottom/pvboot initramfs-tools/scripts/panic/pvboot
SHELL_DIRS := ci deps bench tests .ci dracut-module initramfs-tools dist
check-shell:
	@echo "== shellcheck"
	shellcheck -S warning -s sh -e SC1091 $(SHIPPED_SH)
	shellcheck -S warning -s bash dracut-module/module-setup.sh
	@files=$$(find $(wildcard $(SHELL_DIRS)) -type f | sort | while read -r f; do \
		head -n1 "$$f" | grep -qE '^#!.*sh' && echo "$$f"; done); \
	shellcheck -S warning $$files && echo "shellcheck: $$(echo $$files | wc -w) scripts clean"
	@echo "== set-up script tests"
	sh tests/ci/install-deps.sh

check-unit: $(O)/unit
	@echo "== unit tests ($(FLAVOUR))"
	cd tests && $(RUN) $(CURDIR)/$(O)/unit

check-cases: $(O)/pvboot-sim $(O)/pvboot
	@$(MAKE) --no-print-directory FLAVOUR=musl-x86_64 $(NATIVE_MKASR)
	@echo "== scenario tests ($(FLAVOUR))"
	tests/run-cases.sh --sim $(O)/pvboot-sim --pvboot $(O)/pvboot --mkasr $(NATIVE_MKASR) \
		--work $(O)/cases $(if $(RUN),--run $(RUN))

# The same commit built again in another directory gives the same bytes (x86_64, s390x;
# the source tarball and the .deb and .rpm packages built from it).
check-repro:
	$(ENSURE) build s390x pkg
	sh ci/check-repro.sh

FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRCS))
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_SECONDS ?= 600

check-fuzz-smoke: $(addprefix $(O)/fuzz/,$(FUZZ_TARGETS))
	@echo "== fuzz smoke ($(FUZZ_SMOKE_SECONDS)s per target)"
	tests/fuzz/run.sh $(O)/fuzz $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

fuzz:
	$(ENSURE) build clang
	$(MAKE) --no-print-directory FLAVOUR=fuzz check-fuzz-smoke FUZZ_SMOKE_SECONDS=$(FUZZ_SECONDS)

# ---------------------------------------------------------------- demo, bench

demo:
	$(ENSURE) build
	$(MAKE) --no-print-directory FLAVOUR=musl-x86_64 $(B)/musl-x86_64/pvboot-sim $(NATIVE_MKASR)
	tests/demo/demo.sh $(B)/musl-x86_64 $(B)/demo

bench: pvboot
	$(ENSURE) build check
	$(MAKE) --no-print-directory FLAVOUR=musl-x86_64 $(B)/musl-x86_64/pvboot-sim $(NATIVE_MKASR)
	bench/run.sh $(B)
	bench/boot.sh $(B)

# Every bench script once without valgrind (seconds), so none can rot: run by make check.
check-bench-smoke:
	$(MAKE) --no-print-directory FLAVOUR=musl-x86_64 $(B)/musl-x86_64/pvboot \
		$(B)/musl-x86_64/pvboot-sim $(NATIVE_MKASR)
	@echo "== bench smoke"
	BENCH_SMOKE=1 bench/run.sh $(B)
	BENCH_SMOKE=1 bench/boot.sh $(B)

# ---------------------------------------------------------------- packages

# The source tarball and the packages built from it (dist/README.md), all reproducible
# (make check-repro builds them twice). VERSION=x.y.z builds another version.
DIST := $(B)/dist/pvboot-$(VERSION).tar.gz
PKG := $(B)/pkg
PKGTOOLS = $(ENSURE) build s390x pkg
DEB_ARCHES ?= amd64 s390x
RPM_ARCHES := x86_64 s390x
DEBS = $(patsubst %,$(PKG)/pvboot_$(VERSION)_%.deb,$(DEB_ARCHES))
RPMS = $(patsubst %,$(PKG)/pvboot-$(VERSION)-1.%.rpm,$(RPM_ARCHES))

# mkdist.sh leaves the tarball (and its mtime) alone when its bytes are the same: the
# packages are rebuilt only when the tarball changed.
$(DIST): FORCE
	@bash dist/mkdist.sh $(VERSION) $(B)/dist >/dev/null
dist: $(DIST)
	@echo $(DIST)

$(PKG)/pvboot_$(VERSION)_%.deb: $(DIST) | deps
	sh dist/build-pkg.sh deb $* $(DIST) $(B) $(PKG)

$(PKG)/pvboot-$(VERSION)-1.%.rpm: $(DIST) | deps
	sh dist/build-pkg.sh rpm $* $(DIST) $(B) $(PKG)

deb:
	$(PKGTOOLS)
	$(MAKE) --no-print-directory $(DEBS)
	lintian --allow-root --fail-on warning $(DEBS)

rpm:
	$(PKGTOOLS)
	$(MAKE) --no-print-directory $(RPMS)
	rpmlint -c dist/rpmlint.toml $(RPMS)

packages: deb rpm

# The Debian package's install, upgrade (to VERSION+next), remove and purge in a
# throw-away Debian root with initramfs-tools (tests/pkg/lifecycle.sh).
check-pkg:
	$(PKGTOOLS)
	$(MAKE) --no-print-directory deb DEB_ARCHES=amd64
	$(MAKE) --no-print-directory deb DEB_ARCHES=amd64 VERSION=$(VERSION)+next
	tests/pkg/lifecycle.sh $(B) $(PKG)/pvboot_$(VERSION)_amd64.deb \
		$(PKG)/pvboot_$(VERSION)+next_amd64.deb

# ---------------------------------------------------------------- install

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
EXAMPLEDIR ?= $(PREFIX)/share/doc/pvboot/examples
# Where dracut and initramfs-tools look, whatever the PREFIX.
DRACUTMODDIR ?= /usr/lib/dracut/modules.d/52pvboot
INITRAMFSTOOLSDIR ?= /usr/share/initramfs-tools
DRACUT_FILES := module-setup.sh pvboot-glue.sh pvboot.service pvboot-systemd.sh \
	pvboot-pre-trigger.sh pvboot-finished.sh pvboot-job.sh pvboot-wipe.sh pvboot-pre-pivot.sh \
	pvboot-stop.sh pvboot-root-check.sh pvboot-root-check.service
INSTALLED := $(SBINDIR)/pvboot $(MANDIR)/man8/pvboot.8 $(MANDIR)/man5/pvboot.yaml.5 \
	$(addprefix $(DRACUTMODDIR)/,$(DRACUT_FILES)) $(INITRAMFSTOOLSDIR)/hooks/pvboot \
	$(INITRAMFSTOOLSDIR)/scripts/init-premount/pvboot $(INITRAMFSTOOLSDIR)/scripts/pvboot-glue \
	$(INITRAMFSTOOLSDIR)/scripts/init-bottom/pvboot $(INITRAMFSTOOLSDIR)/scripts/panic/pvboot \
	$(INITRAMFSTOOLSDIR)/scripts/local-premount/pvboot \
	$(EXAMPLEDIR)/pvboot.yaml $(EXAMPLEDIR)/pvapconfig.yaml
SUBST := sed 's|@SBINDIR@|$(SBINDIR)|g'

install: $(O)/pvboot
	install -d -m 0755 $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DRACUTMODDIR) $(DESTDIR)$(INITRAMFSTOOLSDIR)/hooks \
		$(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/init-premount \
		$(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/init-bottom \
		$(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/local-premount \
		$(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/panic $(DESTDIR)$(EXAMPLEDIR)
	install -m 0755 $(O)/pvboot.stripped $(DESTDIR)$(SBINDIR)/pvboot
	install -m 0644 man/pvboot.8 $(DESTDIR)$(MANDIR)/man8/pvboot.8
	install -m 0644 man/pvboot.yaml.5 $(DESTDIR)$(MANDIR)/man5/pvboot.yaml.5
	$(SUBST) dracut-module/module-setup.sh >$(DESTDIR)$(DRACUTMODDIR)/module-setup.sh
	chmod 0755 $(DESTDIR)$(DRACUTMODDIR)/module-setup.sh
	for f in pvboot-glue.sh pvboot-systemd.sh pvboot-pre-trigger.sh pvboot-finished.sh \
		pvboot-job.sh pvboot-wipe.sh pvboot-pre-pivot.sh pvboot-stop.sh pvboot-root-check.sh; do \
		install -m 0755 dracut-module/$$f $(DESTDIR)$(DRACUTMODDIR)/$$f || exit 1; done
	install -m 0644 dracut-module/pvboot.service dracut-module/pvboot-root-check.service \
		$(DESTDIR)$(DRACUTMODDIR)/
	$(SUBST) initramfs-tools/hooks/pvboot >$(DESTDIR)$(INITRAMFSTOOLSDIR)/hooks/pvboot
	chmod 0755 $(DESTDIR)$(INITRAMFSTOOLSDIR)/hooks/pvboot
	install -m 0755 initramfs-tools/scripts/init-premount/pvboot \
		$(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/init-premount/pvboot
	for f in init-bottom local-premount panic; do install -m 0755 initramfs-tools/scripts/$$f/pvboot \
		$(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/$$f/pvboot || exit 1; done
	install -m 0644 dracut-module/pvboot-glue.sh $(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/pvboot-glue
	install -m 0644 config/pvboot.yaml config/pvapconfig.yaml $(DESTDIR)$(EXAMPLEDIR)/

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(DRACUTMODDIR) $(DESTDIR)$(EXAMPLEDIR) $(DESTDIR)$(PREFIX)/share/doc/pvboot \
		2>/dev/null

# ---------------------------------------------------------------- boot tests

# The boot tests: first what they need (one make at a time: the packages share the
# source tarball), then the runs; `make check` runs the two architectures at once (each
# QEMU keeps mostly one core busy; each run's output is shown when it ends).
BOOT_DEB_amd64 := $(CURDIR)/$(PKG)/pvboot_$(VERSION)_amd64.deb
BOOT_DEB_s390x := $(CURDIR)/$(PKG)/pvboot_$(VERSION)_s390x.deb

boot-prep-x86_64: pvboot
	$(ENSURE) build boot pkg
	$(MAKE) --no-print-directory FLAVOUR=musl-x86_64 $(B)/musl-x86_64/pvboot-sim $(NATIVE_MKASR)
	$(MAKE) --no-print-directory deb DEB_ARCHES=amd64

boot-run-x86_64:
	BOOT_DEB=$(BOOT_DEB_amd64) tests/boot/run.sh --arch x86_64 --build $(CURDIR)/$(B)

check-boot: boot-prep-x86_64
	$(MAKE) --no-print-directory boot-run-x86_64

# s390x images built in a Debian s390x root (cached in build/boot-s390x) into which the
# s390x .deb is installed with dpkg, booted with Debian's s390x kernel in
# qemu-system-s390x (tests/boot/s390x/README.md).
boot-prep-s390x:
	$(ENSURE) build s390x boot-s390x pkg
	$(MAKE) --no-print-directory s390x
	$(MAKE) --no-print-directory FLAVOUR=musl-x86_64 $(NATIVE_MKASR)
	$(MAKE) --no-print-directory deb DEB_ARCHES=s390x

boot-run-s390x:
	BOOT_DEB=$(BOOT_DEB_s390x) tests/boot/s390x/run.sh --build $(CURDIR)/$(B) \
		$(if $(filter 1,$(BOOT_BENCH)),--bench)

check-boot-s390x: boot-prep-s390x
	$(MAKE) --no-print-directory boot-run-s390x

check-boot-both:
	$(MAKE) --no-print-directory boot-prep-x86_64
	$(MAKE) --no-print-directory boot-prep-s390x
	@echo "== boot tests, x86_64 and s390x at once (each one's output when it ends)"
	$(MAKE) --no-print-directory -j2 --output-sync=target boot-run-x86_64 boot-run-s390x

clean:
	rm -rf $(B)/musl-x86_64 $(B)/musl-s390x $(B)/asan $(B)/fuzz $(B)/demo pvboot

distclean:
	rm -rf $(B) pvboot
