# pvboot — plain Makefile.
#
#   make                 static musl x86_64 ./pvboot
#   make s390x           the same for s390x (build/musl-s390x/pvboot), ARCH=s390x works too
#   make asan            glibc debug build with ASan + UBSan (build/asan/)
#   make check           every test layer: native, ASan+UBSan, s390x under qemu-user, fuzz smoke
#   make demo            the main job on the simulator with bundled sample data
#   make fuzz            longer fuzz runs (FUZZ_SECONDS per target)
#   make bench           size and instruction counts (bench/README.md)
#   make install         binary, man pages, dracut module, initramfs-tools files, examples
#                        (PREFIX=/usr/local DESTDIR=; ARCH=s390x installs the s390x binary)
#   make uninstall       removes what make install installed
#   make check-boot      boot images in QEMU (dracut, initramfs-tools; tests/boot/README.md)
#   make check-boot-s390x  the same with s390x images, Debian's s390x kernel, qemu-system-s390x
#
# Dependencies (mbedTLS, libyaml) are built from Debian source packages pinned in
# deps/manifest; everything lands under build/ and a second make does not re-download.

VERSION := 0.1.0
B := build
JOBS := $(shell nproc 2>/dev/null || echo 2)

ifeq ($(ARCH),s390x)
FLAVOUR ?= musl-s390x
endif
FLAVOUR ?= musl-x86_64
O := $(B)/$(FLAVOUR)

WARN := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla -Wno-unused-parameter
SIZE := -ffunction-sections -fdata-sections

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
LIBYAML := $(CURDIR)/$(B)/src/libyaml
LIBS := $(O)/lib/libyaml.a $(O)/lib/libmbedcrypto.a
DEPCFLAGS := $(OPT) -w -I$(CURDIR)/deps
CFLAGS_ALL := $(WARN) $(OPT) -D_GNU_SOURCE -DPVBOOT_VERSION='"$(VERSION)"' \
	-Isrc -Itests/common -Itests/sim -I$(MBEDTLS)/include -I$(LIBYAML)/include -Ideps \
	-DMBEDTLS_CONFIG_FILE='"mbedtls_config.h"' -DYAML_DECLARE_STATIC -MMD -MP

CORE_SRCS := $(filter-out src/main.c src/host_linux.c,$(wildcard src/*.c))
SIM_SRCS := $(wildcard tests/sim/*.c) $(wildcard tests/common/*.c)
UNIT_SRCS := $(wildcard tests/unit/*.c)
MKASR_SRCS := tests/tools/mkasr.c
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)

obj = $(patsubst %.c,$(O)/obj/%.o,$(1))
CORE_OBJS := $(call obj,$(CORE_SRCS))
SIM_OBJS := $(call obj,$(SIM_SRCS)) $(O)/obj/tests/sim/host_real.o

BINS := $(O)/pvboot $(O)/pvboot-sim $(O)/unit $(O)/mkasr

.PHONY: install uninstall check-boot check-boot-s390x check-shell
.PHONY: all flavour-all s390x asan check check-flavour check-unit check-cases \
	check-fuzz-smoke demo fuzz bench clean distclean deps

all: pvboot

pvboot: FORCE
	@$(MAKE) --no-print-directory FLAVOUR=musl-x86_64 $(B)/musl-x86_64/pvboot
	@cp $(B)/musl-x86_64/pvboot $@

FORCE:

flavour-all: $(BINS)

s390x:
	$(MAKE) --no-print-directory FLAVOUR=musl-s390x flavour-all

asan:
	$(MAKE) --no-print-directory FLAVOUR=asan flavour-all

# ---------------------------------------------------------------- dependencies

deps: $(MBEDTLS)/.pvboot-fetched $(LIBYAML)/.pvboot-fetched

$(CURDIR)/$(B)/src/%/.pvboot-fetched: deps/manifest deps/fetch.sh
	deps/fetch.sh $* $(CURDIR)/$(B)

$(O)/lib/libmbedcrypto.a: $(MBEDTLS)/.pvboot-fetched deps/mbedtls_config.h
	@rm -rf $(O)/mbedtls && mkdir -p $(O)/mbedtls $(O)/lib
	@echo "  DEP     mbedtls ($(FLAVOUR))"
	@cd $(O)/mbedtls && ls $(MBEDTLS)/library/*.c | xargs -P $(JOBS) -n 8 sh -ec \
		'for f; do $(XCC) $(DEPCFLAGS) -DMBEDTLS_CONFIG_FILE=\"mbedtls_config.h\" \
		-I$(MBEDTLS)/include -I$(MBEDTLS)/library \
		-c $$f -o $${f##*/}.o; done' sh
	@rm -f $@ && $(XAR) rcs $@ $(O)/mbedtls/*.o

$(O)/lib/libyaml.a: $(LIBYAML)/.pvboot-fetched
	@rm -rf $(O)/libyaml && mkdir -p $(O)/libyaml $(O)/lib
	@echo "  DEP     libyaml ($(FLAVOUR))"
	@cd $(O)/libyaml && for f in $(LIBYAML)/src/*.c; do \
		$(XCC) $(DEPCFLAGS) -DYAML_DECLARE_STATIC -DYAML_VERSION_MAJOR=0 \
		-DYAML_VERSION_MINOR=2 -DYAML_VERSION_PATCH=5 -DYAML_VERSION_STRING='"0.2.5"' \
		-I$(LIBYAML)/include -c $$f -o $${f##*/}.o || exit 1; done
	@rm -f $@ && $(XAR) rcs $@ $(O)/libyaml/*.o

# ---------------------------------------------------------------- our code

$(O)/obj/%.o: %.c $(LIBS)
	@mkdir -p $(dir $@)
	@echo "  CC      $< ($(FLAVOUR))"
	@$(XCC) $(CFLAGS_ALL) -c $< -o $@

# host_linux.c once more with real_host_* names, for pvboot-sim's "host: real"
$(O)/obj/tests/sim/host_real.o: src/host_linux.c tests/sim/host_real.h $(LIBS)
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
	$(MAKE) --no-print-directory FLAVOUR=musl-x86_64 check-flavour
	$(MAKE) --no-print-directory FLAVOUR=asan check-flavour
	$(MAKE) --no-print-directory FLAVOUR=musl-s390x check-flavour
	$(MAKE) --no-print-directory FLAVOUR=fuzz check-fuzz-smoke
	$(MAKE) --no-print-directory check-shell
	@echo "make check: all test layers passed"

# Every shell script shipped into an initramfs is POSIX sh (module-setup.sh runs in
# dracut's bash) and passes shellcheck; so do the boot tests' scripts.
SHIPPED_SH := dracut-module/pvboot-glue.sh dracut-module/pvboot-systemd.sh \
	dracut-module/pvboot-pre-trigger.sh dracut-module/pvboot-finished.sh \
	dracut-module/pvboot-job.sh initramfs-tools/hooks/pvboot \
	initramfs-tools/scripts/init-premount/pvboot
check-shell:
	@echo "== shellcheck"
	shellcheck -S warning -s sh -e SC1091 $(SHIPPED_SH)
	shellcheck -S warning -s bash dracut-module/module-setup.sh
	$(if $(wildcard tests/boot/*.sh),shellcheck -S warning -x $(wildcard tests/boot/*.sh))

check-flavour: check-unit check-cases

check-unit: $(O)/unit
	@echo "== unit tests ($(FLAVOUR))"
	cd tests && $(RUN) $(CURDIR)/$(O)/unit

check-cases: $(O)/pvboot-sim $(O)/pvboot
	@test -x $(NATIVE_MKASR) || $(MAKE) --no-print-directory FLAVOUR=musl-x86_64 $(NATIVE_MKASR)
	@echo "== scenario tests ($(FLAVOUR))"
	tests/run-cases.sh --sim $(O)/pvboot-sim --pvboot $(O)/pvboot --mkasr $(NATIVE_MKASR) \
		--work $(O)/cases $(if $(RUN),--run $(RUN))

FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRCS))
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_SECONDS ?= 600

check-fuzz-smoke: $(addprefix $(O)/fuzz/,$(FUZZ_TARGETS))
	@echo "== fuzz smoke ($(FUZZ_SMOKE_SECONDS)s per target)"
	tests/fuzz/run.sh $(O)/fuzz $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

fuzz:
	$(MAKE) --no-print-directory FLAVOUR=fuzz check-fuzz-smoke FUZZ_SMOKE_SECONDS=$(FUZZ_SECONDS)

# ---------------------------------------------------------------- demo, bench

demo:
	$(MAKE) --no-print-directory FLAVOUR=musl-x86_64 $(B)/musl-x86_64/pvboot-sim $(NATIVE_MKASR)
	tests/demo/demo.sh $(B)/musl-x86_64 $(B)/demo

bench: pvboot
	$(MAKE) --no-print-directory FLAVOUR=musl-x86_64 $(B)/musl-x86_64/pvboot-sim
	bench/run.sh $(B)

# ---------------------------------------------------------------- install

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
EXAMPLEDIR ?= $(PREFIX)/share/doc/pvboot/examples
# Where dracut and initramfs-tools look, whatever the PREFIX.
DRACUTMODDIR ?= /usr/lib/dracut/modules.d/52pvboot
INITRAMFSTOOLSDIR ?= /usr/share/initramfs-tools
DRACUT_FILES := module-setup.sh pvboot-glue.sh pvboot.service pvboot-systemd.sh \
	pvboot-pre-trigger.sh pvboot-finished.sh pvboot-job.sh
INSTALLED := $(SBINDIR)/pvboot $(MANDIR)/man8/pvboot.8 $(MANDIR)/man5/pvboot.yaml.5 \
	$(addprefix $(DRACUTMODDIR)/,$(DRACUT_FILES)) $(INITRAMFSTOOLSDIR)/hooks/pvboot \
	$(INITRAMFSTOOLSDIR)/scripts/init-premount/pvboot $(INITRAMFSTOOLSDIR)/scripts/pvboot-glue \
	$(EXAMPLEDIR)/pvboot.yaml $(EXAMPLEDIR)/pvapconfig.yaml
SUBST := sed 's|@SBINDIR@|$(SBINDIR)|g'

install: $(O)/pvboot
	install -d -m 0755 $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DRACUTMODDIR) $(DESTDIR)$(INITRAMFSTOOLSDIR)/hooks \
		$(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/init-premount $(DESTDIR)$(EXAMPLEDIR)
	install -m 0755 $(O)/pvboot.stripped $(DESTDIR)$(SBINDIR)/pvboot
	install -m 0644 man/pvboot.8 $(DESTDIR)$(MANDIR)/man8/pvboot.8
	install -m 0644 man/pvboot.yaml.5 $(DESTDIR)$(MANDIR)/man5/pvboot.yaml.5
	$(SUBST) dracut-module/module-setup.sh >$(DESTDIR)$(DRACUTMODDIR)/module-setup.sh
	chmod 0755 $(DESTDIR)$(DRACUTMODDIR)/module-setup.sh
	for f in pvboot-glue.sh pvboot-systemd.sh pvboot-pre-trigger.sh pvboot-finished.sh \
		pvboot-job.sh; do install -m 0755 dracut-module/$$f $(DESTDIR)$(DRACUTMODDIR)/$$f || exit 1; done
	install -m 0644 dracut-module/pvboot.service $(DESTDIR)$(DRACUTMODDIR)/pvboot.service
	$(SUBST) initramfs-tools/hooks/pvboot >$(DESTDIR)$(INITRAMFSTOOLSDIR)/hooks/pvboot
	chmod 0755 $(DESTDIR)$(INITRAMFSTOOLSDIR)/hooks/pvboot
	install -m 0755 initramfs-tools/scripts/init-premount/pvboot \
		$(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/init-premount/pvboot
	install -m 0644 dracut-module/pvboot-glue.sh $(DESTDIR)$(INITRAMFSTOOLSDIR)/scripts/pvboot-glue
	install -m 0644 config/pvboot.yaml config/pvapconfig.yaml $(DESTDIR)$(EXAMPLEDIR)/

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(DRACUTMODDIR) $(DESTDIR)$(EXAMPLEDIR) $(DESTDIR)$(PREFIX)/share/doc/pvboot \
		2>/dev/null

# ---------------------------------------------------------------- boot tests

check-boot: pvboot
	$(MAKE) --no-print-directory FLAVOUR=musl-x86_64 $(B)/musl-x86_64/pvboot-sim $(NATIVE_MKASR)
	tests/boot/run.sh --arch x86_64 --build $(CURDIR)/$(B)

# s390x images built in a Debian s390x root (cached in build/boot-s390x) and booted
# with Debian's s390x kernel in qemu-system-s390x (tests/boot/s390x/README.md).
check-boot-s390x:
	@[ "$$(id -u)" -ne 0 ] || sh ci/install-deps.sh boot-s390x
	$(MAKE) --no-print-directory s390x
	$(MAKE) --no-print-directory FLAVOUR=musl-x86_64 $(NATIVE_MKASR)
	tests/boot/s390x/run.sh --build $(CURDIR)/$(B)

clean:
	rm -rf $(B)/musl-x86_64 $(B)/musl-s390x $(B)/asan $(B)/fuzz $(B)/demo pvboot

distclean:
	rm -rf $(B) pvboot
