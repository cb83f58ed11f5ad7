# embargo-milter — build, test and benchmark.
#   make            build/embargoctl, build/embargo-milter
#   make check      unit tests, golden corpus, real-world corpus, end-to-end through Postfix
#   make check-asan the unit and corpus tests under ASan+UBSan (separate build dir)
#   make bench      engine throughput;  make bench-mta  throughput through Postfix
#   make lint       cppcheck + the ring rule (core never includes libmilter/syslog/libconfig)

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := libpcre2-8 libconfig libzip libutf8proc jansson libhs sqlite3 libcrypto libical nettle libseccomp libpq
PKGS    += zlib
# the test scripts that link libemcore.a themselves (review, browser, fuzz) take
# the library list from here: one list, not one per script
export EM_CORE_PKGS := $(PKGS)

WARN    := -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wno-unused-parameter
HARDEN  := -D_FORTIFY_SOURCE=2 -fstack-protector-strong
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=gnu11 $(WARN) $(HARDEN) -pthread $(shell pkg-config --cflags $(PKGS))
CFLAGS  += -DEM_RULES_DIR='"$(PREFIX)/share/embargo-milter/rules"'
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -lm -pthread
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

CORE_SRC  := $(sort $(wildcard milter/core/*.c) $(wildcard milter/adapt/*.c))
CTL_SRC   := $(sort $(wildcard milter/ctl/*.c))
SHELL_SRC := $(sort $(wildcard milter/shell/*.c))
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))

CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
CTL_OBJ   := $(CTL_SRC:%.c=$(BUILD)/obj/%.o)
SHELL_OBJ := $(SHELL_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIBCORE   := $(BUILD)/libemcore.a

PROGS := $(BUILD)/embargoctl
ifneq ($(SHELL_SRC),)
PROGS += $(BUILD)/embargo-milter
endif
# the sandboxed extractor of complex formats (milter/extract): a separate program;
# never built with sanitizers (ASan's shadow memory cannot live under its RLIMIT_AS);
# -z now: the pre-forked server binds every symbol once, not each child anew
EXTRACT_PKGS := libgsf-1 libarchive libcrypto libytnef
# PDF text in-process through poppler-glib when it is installed, else pdftotext per PDF
ifeq ($(shell pkg-config --exists poppler-glib && echo y),y)
EXTRACT_PKGS += poppler-glib
EXTRACT_DEFS := -DEM_POPPLER_GLIB
endif
PROGS += $(BUILD)/embargo-extract
# the review console (milter/review, issue 15): libmicrohttpd + PAM, linked with embargoctl's review plumbing
REVIEW_SRC := $(sort $(wildcard milter/review/*.c))
REVIEW_OBJ := $(REVIEW_SRC:%.c=$(BUILD)/obj/%.o)
REVIEW_CTL := $(filter-out $(BUILD)/obj/milter/ctl/embargoctl.o,$(CTL_OBJ))
ifneq ($(REVIEW_SRC),)
PROGS += $(BUILD)/embargo-review
endif

.PHONY: print-pkgs bench-review check-browser check-fprint all bench-scale bench-extract check check-unit check-extract check-rules check-corpus check-readability check-review check-e2e check-asan check-adversarial check-transform check-valgrind check-e2e-valgrind fuzz bench bench-grep bench-mta soak lint clean check-packaging check-deb install
all: $(PROGS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIBCORE): $(CORE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/embargoctl: $(CTL_OBJ) $(LIBCORE)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/embargo-milter: $(SHELL_OBJ) $(LIBCORE)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lmilter

$(BUILD)/obj/milter/review/%.o: CFLAGS += $(shell pkg-config --cflags libmicrohttpd) -DEM_REVIEW_STATIC_DIR='"$(PREFIX)/share/embargo-milter/review"'
$(BUILD)/embargo-review: $(REVIEW_OBJ) $(REVIEW_CTL) $(LIBCORE)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs libmicrohttpd) -lpam

$(BUILD)/embargo-extract: milter/extract/embargo-extract.c milter/extract/ex_proto.h milter/core/em_sniff.c milter/core/em_sniff.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -fsanitize=%,$(CFLAGS)) $(shell pkg-config --cflags $(EXTRACT_PKGS)) $(EXTRACT_DEFS) $(filter-out -fsanitize=%,$(LDFLAGS)) -Wl,-z,now -Wl,-z,relro -o $@ milter/extract/embargo-extract.c milter/core/em_sniff.c $(shell pkg-config --libs $(EXTRACT_PKGS))

$(BUILD)/null-milter: tests/bench/null-milter.c milter/shell/nodelay.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lmilter -pthread

$(BUILD)/bench_scan: tests/bench/bench_scan.c $(LIBCORE)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBCORE) $(LDLIBS)

$(BUILD)/bench_extract: tests/bench/bench_extract.c $(LIBCORE)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBCORE) $(LDLIBS)

# the pre-forked extractor's crash/hang/kill/sandbox checks (tests/extract/run.sh)
$(BUILD)/prefork_test: tests/extract/prefork.c $(LIBCORE)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBCORE) $(LDLIBS)

$(BUILD)/bench_review_fill: tests/bench/bench_review_fill.c $(LIBCORE)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBCORE) $(LDLIBS)

$(BUILD)/bench_lineage: tests/bench/bench_lineage.c $(LIBCORE)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBCORE) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Imilter/core -Imilter/adapt $(LDFLAGS) -o $@ $< $(LIBCORE) $(LDLIBS) -lcmocka

check: check-unit check-rules check-corpus check-readability check-adversarial check-extract check-transform check-fprint check-redteam check-review check-browser check-packaging check-e2e

check-unit: $(UNIT_BIN)
	@tests/run-unit.sh $(UNIT_BIN)

# Every rule test shipped in rules/ (the fingerprint template waits for its keys: see its header).
RULE_TESTS := rules/markers/tests rules/templates/bulletin rules/templates/market-sensitive \
	rules/templates/pra-list
check-rules: $(BUILD)/embargoctl $(BUILD)/embargo-extract
	@$(BUILD)/embargoctl test -q $(RULE_TESTS)

check-corpus: $(BUILD)/embargoctl $(BUILD)/embargo-extract
	@tests/corpus/run.sh $(BUILD)/embargoctl

check-readability: $(BUILD)/embargoctl $(BUILD)/embargo-extract
	@tests/corpus/readability/run.sh $(BUILD)

check-adversarial: $(BUILD)/embargoctl $(BUILD)/embargo-extract
	@tests/adversarial/run.sh $(BUILD)

check-extract: $(BUILD)/embargoctl $(BUILD)/embargo-extract $(BUILD)/prefork_test
	@tests/extract/run.sh $(BUILD)

check-transform: $(BUILD)/embargoctl $(BUILD)/embargo-extract
	@tests/transform/run.sh $(BUILD)

check-fprint: $(BUILD)/embargoctl $(BUILD)/embargo-extract
	@tests/fprint/run.sh $(BUILD)

.PHONY: check-redteam
check-redteam: $(BUILD)/embargoctl $(BUILD)/embargo-extract
	@tests/redteam/run.sh $(BUILD)

FUZZ_SECONDS ?= 60
fuzz:
	@tests/fuzz/run.sh $(BUILD) $(FUZZ_SECONDS)

check-review: all $(LIBCORE)
	@tests/review/run.sh $(BUILD)

# the review console in headless Chromium (tests/browser; exit 77 = skipped: no chromium/selenium, not root)
check-browser: all
	@tests/browser/t_config.sh $(BUILD)
	@tests/browser/run.sh $(BUILD); rc=$$?; [ $$rc = 0 ] || [ $$rc = 77 ]

check-packaging: all
	@tests/packaging/t_doctor.sh $(BUILD)/embargoctl
	@tests/packaging/t_doctor_sendmail.sh $(BUILD)/embargoctl; rc=$$?; [ $$rc = 0 ] || [ $$rc = 77 ]

check-deb:
	@tests/packaging/t_deb.sh

# The Debian package, from a clean copy of the tree, into build/deb/.
.PHONY: deb
deb:
	@packaging/build-deb.sh

check-e2e: all $(BUILD)/null-milter
	@tests/e2e/run.sh $(BUILD)

check-valgrind: $(UNIT_BIN) $(BUILD)/embargoctl
	@tests/valgrind.sh $(BUILD)

check-e2e-valgrind: all $(BUILD)/null-milter
	@tests/valgrind.sh --e2e $(BUILD)

check-asan:
	E2E_WAIT_SCALE=$${E2E_WAIT_SCALE:-2} $(MAKE) BUILD=build-asan SAN=1 OPT=-O1 check-unit check-corpus check-readability check-extract check-adversarial check-e2e

bench: $(BUILD)/bench_scan $(BUILD)/bench_lineage $(BUILD)/bench_extract $(BUILD)/embargo-extract
	@tests/bench/bench.sh $(BUILD)
	@tests/bench/bench-extract.sh $(BUILD)
	@$(MAKE) --no-print-directory bench-review

# the review console's list page with 10,000 held records (issue 15)
bench-review: $(BUILD)/bench_review_fill $(BUILD)/embargo-review
	@tests/bench/bench-review.sh $(BUILD)

# scaling table: releases, fingerprinted documents, message size, realistic corpus
bench-scale: $(BUILD)/bench_scan $(BUILD)/embargoctl $(BUILD)/embargo-extract
	@tests/bench/bench-scale.sh $(BUILD)

bench-extract: $(BUILD)/bench_extract $(BUILD)/embargo-extract
	@tests/bench/bench-extract.sh $(BUILD)

bench-grep: $(BUILD)/embargoctl
	@tests/bench/bench-grep.sh $(BUILD)

bench-mta: all $(BUILD)/null-milter
	@tests/bench/bench-mta.sh $(BUILD)

soak: all $(BUILD)/null-milter
	@tests/bench/soak.sh $(BUILD)

lint:
	@tests/lint.sh

clean:
	rm -rf build build-asan

include packaging/install.mk

-include $(CORE_OBJ:.o=.d) $(CTL_OBJ:.o=.d) $(SHELL_OBJ:.o=.d) $(REVIEW_OBJ:.o=.d)

# prints the pkg-config packages the core library links (for scripts run outside make)
print-pkgs:
	@echo $(PKGS)
