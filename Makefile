# Steg — build, test and install.
#
#   make              build stegc and steg (build/)
#   make check        install missing packages, build, run every test, then the
#                     whole suite again under AddressSanitizer + UBSan
#   make demo         install missing packages, build, compile the examples,
#                     import, publish and activate them in a demo registry
#   make bench        generate large programs and compare stegc to a baseline
#   make fuzz         fuzz every parser for FUZZ_SECONDS each (clang, libFuzzer)
#   make mutants      apply each deliberate bug in tests/mutants/ to a scratch
#                     copy, run the tests that must catch it, fail if one
#                     survives (MUTANTS='expiry*' for some; docs/testing.md)
#   make po           extract the messages (scripts/po-extract.sh) and merge
#                     them into po/*.po (docs/diagnostics.md, "Adding a message")
#   make install PREFIX=/usr/local DESTDIR=   (and make uninstall)
#
# Quiet unless V=1.  SANITIZE=address,undefined builds into build-san/.
# User CFLAGS come last so that they win.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
# libstegc.so, the commands of stegc that need XML (below), is private to
# stegc: it goes in a folder of its own, compiled into stegc.
STEG_LIBDIR ?= $(LIBDIR)/steg
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/steg
LOCALEDIR ?= $(PREFIX)/share/locale
CC      ?= cc
PKG_CONFIG ?= pkg-config

VERSION := 0.2.0

ifdef SANITIZE
BUILD   ?= build-san
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD   ?= build
SANFLAGS :=
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Each object compiles with its own part's packages only, and each binary
# links only what its objects use: core/yamlload.c is the one user of
# libyaml, which only stegc links (the runtime never parses YAML).
# libmagic (media sniffing, core/media.c) ships a pkg-config file only in
# newer Debian releases: without one, link it by name.
MAGIC_PKG     := $(shell $(PKG_CONFIG) --exists libmagic 2>/dev/null && echo libmagic)
MAGIC_LIBS    := $(if $(MAGIC_PKG),,-lmagic)
CORE_PKGS     := libxml-2.0 libzip zlib libsodium libcrypto jansson $(MAGIC_PKG)
YAML_PKGS     := yaml-0.1
# The renderer (render/, librender.a) uses core's packages only, so that
# the runtime can link it as the compiler does.
RENDER_PKGS   := $(CORE_PKGS)
COMPILER_PKGS := $(CORE_PKGS) $(YAML_PKGS) libcmark libmicrohttpd
RUNTIME_PKGS  := $(CORE_PKGS) sqlite3 libcurl libmicrohttpd
# What steg links: not libcurl, which runtime/http_get.c loads at the first
# fetch from a URL (its ~30 libraries took most of every steg command's
# start-up; docs/benchmarks.md), though its header is compiled against; not
# libmicrohttpd, which no runtime code calls (the sanitizer builds link
# without --as-needed, so an unused package would still be loaded).
RUNTIME_LINK_PKGS := $(filter-out libcurl libmicrohttpd,$(RUNTIME_PKGS))
# What steg itself links: SQLite, libsodium and jansson, no more.  The
# commands that open a bundle (import, sync, score) run steg-bundle, a
# program of its own installed beside steg that links RUNTIME_LINK_PKGS;
# the rest never load libxml2 (with ICU and libstdc++), libzip, libmagic
# or OpenSSL (docs/architecture.md, docs/benchmarks.md).  steg links with
# --gc-sections, so its commands' unused functions are dropped: a
# reference to any other library left in what steg runs fails the link.
STEG_LINK_PKGS := sqlite3 libsodium jansson
# What libstegc.so links: not libmicrohttpd (with GnuTLS and its ten
# libraries), which only stegc-preview, the program `stegc preview` runs,
# needs.
COMPILER_LINK_PKGS := $(filter-out libmicrohttpd,$(COMPILER_PKGS))
# What stegc itself links: libsodium (keygen) and jansson (findings as
# JSON, core/diag.c), no more.  Its commands
# that need libxml2 (with ICU and libstdc++), libzip, OpenSSL, libmagic,
# cmark or libyaml — check, build, inspect and the rest marked FULL_CMD in
# compiler/commands.def — are in libstegc.so, which stegc loads (dlopen)
# for them only; --version, --help, new, keygen and preview map none of
# them (docs/architecture.md).  stegc links with --gc-sections, so a
# reference to any other library left in what stegc runs fails the link.
STEGC_LINK_PKGS := libsodium jansson
# steg-serve, the web server `steg serve` runs (runtime/serve/): the
# runtime's data layer and rules, the renderer, libmicrohttpd and GnuTLS,
# in a program of its own so that steg does not load them at start-up.
SERVE_PKGS    := $(CORE_PKGS) sqlite3 libmicrohttpd gnutls

BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-Wall -Wextra -Wshadow -Wno-unused-parameter -O2 -g -MMD -MP \
	-ffunction-sections -fdata-sections -fPIC -fno-semantic-interposition \
	-iquote core -iquote render -iquote $(BUILD)/gen -DSTEG_VERSION='"$(VERSION)"'

pc_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pc_libs   = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)

# PKGS is set per part below (pattern-specific), so that core/ cannot use a
# header of the compiler's or the runtime's packages by accident.
ALL_CFLAGS = $(BASE_CFLAGS) $(DEFS) $(call pc_cflags,$(PKGS)) $(SANFLAGS) $(CFLAGS)

CORE_SRC     := $(sort $(wildcard core/*.c))
RENDER_SRC   := $(sort $(wildcard render/*.c))
RENDER_ASSETS := render/steg.css render/preview.js render/live.js
COMPILER_SRC := $(sort $(wildcard compiler/*.c))
RUNTIME_SRC  := $(sort $(wildcard runtime/*.c))
SERVE_SRC    := $(sort $(wildcard runtime/serve/*.c))
SCHEMAS      := $(sort $(wildcard schemas/*.xsd))

CORE_OBJ     := $(CORE_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/schemas.o
RENDER_OBJ   := $(RENDER_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/render_assets.o
COMPILER_OBJ := $(COMPILER_SRC:%.c=$(BUILD)/%.o)
RUNTIME_OBJ  := $(RUNTIME_SRC:%.c=$(BUILD)/%.o)
# stegc-preview: the compiler with the preview's web server (the files
# that call libmicrohttpd), which stegc itself leaves out.
PREVIEW_ONLY_OBJ := $(patsubst %.c,$(BUILD)/%.o,compiler/preview.c compiler/live.c compiler/preview_main.c)
# stegc: its own main and the commands of compiler/commands.def marked
# SC_CMD; libstegc.so: the rest of the compiler (with full_main.c, its
# entry point), librender and libstegcore.
STEGC_OBJ    := $(patsubst %.c,$(BUILD)/%.o,compiler/main.c compiler/load_full.c \
                compiler/cmd_new.c compiler/yaml_emit.c compiler/cmd_keygen.c \
                compiler/keyopts.c compiler/cmd_preview.c compiler/cli.c)
FULL_OBJ     := $(filter-out $(PREVIEW_ONLY_OBJ) $(BUILD)/compiler/main.o \
                $(BUILD)/compiler/load_full.o,$(COMPILER_OBJ))
PREVIEW_OBJ  := $(filter-out $(BUILD)/compiler/main.o $(BUILD)/compiler/full_main.o \
                $(BUILD)/compiler/load_full.o,$(COMPILER_OBJ))
SERVE_OBJ    := $(SERVE_SRC:%.c=$(BUILD)/%.o) \
                $(filter-out $(BUILD)/runtime/main.o $(BUILD)/runtime/bundle_main.o,$(RUNTIME_OBJ))
# steg and steg-bundle: the same objects but the other's main.
STEG_OBJ     := $(filter-out $(BUILD)/runtime/bundle_main.o,$(RUNTIME_OBJ))
STEG_BUNDLE_OBJ := $(filter-out $(BUILD)/runtime/main.o,$(RUNTIME_OBJ))

LIBCORE := $(BUILD)/libstegcore.a
LIBRENDER := $(BUILD)/librender.a
STEGC   := $(BUILD)/stegc
LIBSTEGC := $(BUILD)/libstegc.so
STEG    := $(BUILD)/steg
STEG_SERVE := $(BUILD)/steg-serve
STEG_BUNDLE := $(BUILD)/steg-bundle
STEGC_PREVIEW := $(BUILD)/stegc-preview

# The message catalogues (GNU gettext, text domain "steg"): po/LANG.po is
# compiled to $(BUILD)/locale/LANG/LC_MESSAGES/steg.mo, where the binaries
# of this build find it (core/i18n.h: the folder "locale" beside the
# program), and installed under $(LOCALEDIR), which is compiled in.
PO_LANGS := $(patsubst po/%.po,%,$(sort $(wildcard po/*.po)))
MO_FILES := $(PO_LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/steg.mo)

all: $(STEGC) $(LIBSTEGC) $(STEGC_PREVIEW) $(STEG) $(STEG_BUNDLE) $(STEG_SERVE) $(MO_FILES)

$(BUILD)/locale/%/LC_MESSAGES/steg.mo: po/%.po
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  MSGFMT  $<")
	$(Q)msgfmt --check -o $@.tmp $< && mv $@.tmp $@

po:
	$(Q)sh scripts/po-extract.sh po/steg.pot
	$(Q)for l in $(PO_LANGS); do msgmerge --quiet --no-wrap --add-location=file \
		--update --backup=none po/$$l.po po/steg.pot || exit 1; done
	$(Q)rm -f po/steg.pot

$(BUILD)/core/%.o $(BUILD)/gen/%.o: PKGS = $(CORE_PKGS)
$(BUILD)/core/yamlload.o: PKGS = $(CORE_PKGS) $(YAML_PKGS)
$(BUILD)/core/i18n.o: DEFS = -DSTEG_LOCALEDIR='"$(LOCALEDIR)"'
$(BUILD)/compiler/load_full.o: DEFS = -DSTEG_LIBDIR='"$(STEG_LIBDIR)"'
$(BUILD)/render/%.o $(BUILD)/gen/render_assets.o: PKGS = $(RENDER_PKGS)
$(BUILD)/compiler/%.o: PKGS = $(COMPILER_PKGS)
$(BUILD)/runtime/%.o: PKGS = $(RUNTIME_PKGS)
$(BUILD)/runtime/serve/%.o: PKGS = $(SERVE_PKGS)

# Every object is rebuilt when the flags common to all of them change (a
# new BASE_CFLAGS, SANFLAGS or CFLAGS) or a folder compiled in (LOCALEDIR,
# STEG_LIBDIR: `make install PREFIX=/usr` after `make` must not install
# programs that look in /usr/local): $(BUILD)/gen/cflags holds them and
# is rewritten only when they differ.
FLAGS_NOW := $(BASE_CFLAGS) $(SANFLAGS) $(CFLAGS) $(LOCALEDIR) $(STEG_LIBDIR)
FLAGS_OLD := $(shell cat $(BUILD)/gen/cflags 2>/dev/null)
ifneq ($(strip $(FLAGS_NOW)),$(strip $(FLAGS_OLD)))
.PHONY: $(BUILD)/gen/cflags
endif
# (make expands a whole recipe before running it: the folder is made by
# the same expansion, before $(file) writes into it.)
$(BUILD)/gen/cflags:
	@:$(shell mkdir -p $(BUILD)/gen)$(file >$@,$(FLAGS_NOW))

$(BUILD)/%.o: %.c $(BUILD)/gen/schemas.h $(BUILD)/gen/cflags
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

# The XML Schemas are compiled into the core library: the reader and writer
# never look for them on disk, where a changed or missing schema file would
# change what is accepted.
# One recipe writes both files: the header waits for the .c (two targets
# of one rule would run it twice at once under -j).
$(BUILD)/gen/schemas.h: $(BUILD)/gen/schemas.c ;
$(BUILD)/gen/schemas.c: $(SCHEMAS) scripts/embed.sh
	@mkdir -p $(BUILD)/gen
	@$(if $(Q),echo "  EMBED   schemas")
	$(Q)sh scripts/embed.sh $(BUILD)/gen/schemas $(SCHEMAS)

$(BUILD)/gen/schemas.o: $(BUILD)/gen/schemas.c $(BUILD)/gen/cflags
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

# The renderer's stylesheet and script, built in the same way: the pages
# never depend on files beside the binary.
$(BUILD)/gen/render_assets.h: $(BUILD)/gen/render_assets.c ;
$(BUILD)/gen/render_assets.c: $(RENDER_ASSETS) scripts/embed.sh
	@mkdir -p $(BUILD)/gen
	@$(if $(Q),echo "  EMBED   render assets")
	$(Q)sh scripts/embed.sh -f sr_embedded $(BUILD)/gen/render_assets $(RENDER_ASSETS)

$(BUILD)/gen/render_assets.o: $(BUILD)/gen/render_assets.c $(BUILD)/gen/cflags
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(RENDER_SRC:%.c=$(BUILD)/%.o): $(BUILD)/gen/render_assets.h

$(LIBCORE): $(CORE_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBRENDER): $(RENDER_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(STEGC): $(STEGC_OBJ) $(LIBCORE)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(SANFLAGS) -Wl,--gc-sections $(LDFLAGS) -o $@ $(STEGC_OBJ) $(LIBCORE) $(call pc_libs,$(STEGC_LINK_PKGS))

# Only sc_full_main and sc_full_version are exported (compiler/libstegc.map):
# every other call stays inside the object, bound when it is linked.
$(LIBSTEGC): $(FULL_OBJ) $(LIBRENDER) $(LIBCORE) compiler/libstegc.map
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(SANFLAGS) -shared -Wl,--version-script=compiler/libstegc.map -Wl,-z,defs $(LDFLAGS) -o $@ $(FULL_OBJ) $(LIBRENDER) $(LIBCORE) $(call pc_libs,$(COMPILER_LINK_PKGS)) $(MAGIC_LIBS) -lpthread -lm

$(STEGC_PREVIEW): $(PREVIEW_OBJ) $(LIBRENDER) $(LIBCORE)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $(PREVIEW_OBJ) $(LIBRENDER) $(LIBCORE) $(call pc_libs,$(COMPILER_PKGS)) $(MAGIC_LIBS) -lpthread -lm

$(STEG): $(STEG_OBJ) $(LIBCORE)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(SANFLAGS) -Wl,--gc-sections $(LDFLAGS) -o $@ $(STEG_OBJ) $(LIBCORE) $(call pc_libs,$(STEG_LINK_PKGS)) -lm

$(STEG_BUNDLE): $(STEG_BUNDLE_OBJ) $(LIBCORE)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $(STEG_BUNDLE_OBJ) $(LIBCORE) $(call pc_libs,$(RUNTIME_LINK_PKGS)) $(MAGIC_LIBS) -ldl -lm

$(STEG_SERVE): $(SERVE_OBJ) $(LIBRENDER) $(LIBCORE)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $(SERVE_OBJ) $(LIBRENDER) $(LIBCORE) $(call pc_libs,$(SERVE_PKGS)) $(MAGIC_LIBS) -ldl -lpthread -lm

deps:
	@sh scripts/install-deps.sh

check: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory SANITIZE=address,undefined all
	$(Q)STEG_NO_SKIP=1 STEG_BUILD=$(BUILD) STEG_SAN_BUILD=build-san sh tests/run.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)STEG_BUILD=$(BUILD) sh scripts/demo.sh

bench: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)STEG_BUILD=$(BUILD) sh bench/run.sh

# make fuzz: every tests/fuzz/*_fuzz.c under libFuzzer, ASan and UBSan,
# against the core and compiler built with clang into build-fuzz/, for
# FUZZ_SECONDS each (FUZZ=yaml,sign for some); docs/fuzzing.md.
FUZZ_SECONDS ?= 60
fuzz:
	$(Q)sh scripts/install-fuzz-deps.sh
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) -s --no-print-directory BUILD=build-fuzz CC=clang SANITIZE=address,undefined \
		CFLAGS="-fsanitize=fuzzer-no-link" build-fuzz/libstegcore.a \
		$(patsubst %.c,build-fuzz/%.o,$(filter-out %/main.c %/bundle_main.c,$(COMPILER_SRC) $(RUNTIME_SRC)))
	$(Q)STEG_BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ="$(FUZZ)" sh tests/fuzz/run.sh

# make mutants: not part of make check (it rebuilds once per mutant).
MUTANTS ?= *
mutants: deps
	$(Q)sh scripts/mutants.sh $(foreach m,$(MUTANTS),'$(m)')

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/schemas
	install -m 755 $(STEGC) $(STEGC_PREVIEW) $(STEG) $(STEG_BUNDLE) $(STEG_SERVE) $(DESTDIR)$(BINDIR)/
	install -d $(DESTDIR)$(STEG_LIBDIR)
	install -m 644 $(LIBSTEGC) $(DESTDIR)$(STEG_LIBDIR)/
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 schemas/*.xsd schemas/*.schema.json $(DESTDIR)$(DATADIR)/schemas/
	for l in $(PO_LANGS); do \
		install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/steg.mo \
			$(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/ || exit 1; done

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(STEGC) $(STEGC_PREVIEW) $(STEG) $(STEG_BUNDLE) $(STEG_SERVE)))
	rm -f $(DESTDIR)$(STEG_LIBDIR)/$(notdir $(LIBSTEGC))
	-rmdir $(DESTDIR)$(STEG_LIBDIR)
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(wildcard man/*.1)))
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/schemas/,$(notdir $(wildcard schemas/*.xsd schemas/*.schema.json)))
	-rmdir $(DESTDIR)$(DATADIR)/schemas $(DESTDIR)$(DATADIR)
	for l in $(PO_LANGS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/steg.mo; done

clean:
	rm -rf build build-san build-fuzz

.PHONY: all deps check demo bench fuzz mutants po install uninstall clean

-include $(wildcard $(BUILD)/*/*.d $(BUILD)/*/*/*.d $(BUILD)/gen/*.d)
