# packaging/install.mk - `make install`, included from the top-level Makefile.
#
#   make install [DESTDIR=...] [PREFIX=/usr/local] [SYSCONFDIR=/etc]
#                [SYSTEMDUNITDIR=/lib/systemd/system] [TMPFILESDIR=/usr/lib/tmpfiles.d]
#
# Installs the daemon to $(PREFIX)/sbin, embargoctl to $(PREFIX)/bin, the
# example configuration to $(SYSCONFDIR)/embargo-milter, the man pages, the
# systemd unit (paths filled in for this PREFIX/SYSCONFDIR) and the tmpfiles.d
# entry for /run/embargo-milter, and rules/ (marker sets, release templates,
# their tests) under $(PREFIX)/share/embargo-milter/rules. Installing straight onto a system (DESTDIR
# empty) never overwrites a configuration or release file that already exists:
# those belong to the administrator and the statisticians. Package builds
# (DESTDIR set) always install the shipped files; dpkg/rpm keep local edits.
# Creating the system user is the package's job (see packaging/debian).

# Guarded: debian/rules names this file with -f as well, so a build works
# whether or not the top-level Makefile includes it.
ifndef EM_INSTALL_MK
EM_INSTALL_MK := 1

PREFIX         ?= /usr/local
SYSCONFDIR     ?= /etc
SBINDIR        ?= $(PREFIX)/sbin
BINDIR         ?= $(PREFIX)/bin
MANDIR         ?= $(PREFIX)/share/man
SYSTEMDUNITDIR ?= /lib/systemd/system
TMPFILESDIR    ?= /usr/lib/tmpfiles.d
INSTALL        ?= install
EM_CONFDIR     := $(SYSCONFDIR)/embargo-milter
EM_DOCDIR      ?= $(PREFIX)/share/doc/embargo-milter
EM_RULESDIR    := $(PREFIX)/share/embargo-milter/rules

EM_MAN1 := packaging/man/embargoctl.1
EM_MAN5 := packaging/man/embargo-milter.conf.5 packaging/man/embargo-release.5 \
	packaging/man/embargo-rule-tests.5 packaging/man/embargo-marker-sets.5
EM_MAN8 := packaging/man/embargo-milter.8 packaging/man/embargo-review.8
EM_CONF_FILES := $(sort $(wildcard conf/releases.d/*))

# Copies each source file into the directory $(2) (under DESTDIR), unless
# installing onto the live system over a file that exists (kept as edited).
em_install_conf = @for f in $(1); do \
		t="$(2)/$$(basename "$$f")"; \
		if [ -z "$(DESTDIR)" ] && [ -e "$$t" ]; then \
			echo "install: keeping existing $$t"; \
		else \
			echo "$(INSTALL) -m 0644 $$f $(DESTDIR)$$t"; \
			$(INSTALL) -m 0644 "$$f" "$(DESTDIR)$$t" || exit 1; \
		fi; \
	done

install: $(BUILD)/embargoctl $(BUILD)/embargo-milter $(BUILD)/embargo-extract $(BUILD)/embargo-review
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/lib/embargo-milter
	$(INSTALL) -m 0755 $(BUILD)/embargo-extract $(DESTDIR)$(PREFIX)/lib/embargo-milter/embargo-extract
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
		$(DESTDIR)$(EM_CONFDIR)/releases.d \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(TMPFILESDIR)
	$(INSTALL) -m 0755 $(BUILD)/embargo-milter $(DESTDIR)$(SBINDIR)/embargo-milter
	$(INSTALL) -m 0755 $(BUILD)/embargoctl $(DESTDIR)$(BINDIR)/embargoctl
	$(call em_install_conf,conf/embargo-milter.conf,$(EM_CONFDIR))
	$(call em_install_conf,$(EM_CONF_FILES),$(EM_CONFDIR)/releases.d)
	$(INSTALL) -m 0644 $(EM_MAN1) $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 0644 $(EM_MAN5) $(DESTDIR)$(MANDIR)/man5/
	$(INSTALL) -m 0644 $(EM_MAN8) $(DESTDIR)$(MANDIR)/man8/
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
		-e 's|@CONFDIR@|$(EM_CONFDIR)|g' packaging/systemd/embargo-milter.service.in \
		> $(DESTDIR)$(SYSTEMDUNITDIR)/embargo-milter.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/embargo-milter.service
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@CONFDIR@|$(EM_CONFDIR)|g' \
		packaging/systemd/embargo-milter-requests.service.in \
		> $(DESTDIR)$(SYSTEMDUNITDIR)/embargo-milter-requests.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/embargo-milter-requests.service
	$(INSTALL) -m 0644 packaging/systemd/embargo-milter-requests.path \
		packaging/systemd/embargo-milter-requests.timer $(DESTDIR)$(SYSTEMDUNITDIR)/
	$(INSTALL) -m 0644 packaging/tmpfiles/embargo-milter.conf \
		$(DESTDIR)$(TMPFILESDIR)/embargo-milter.conf
	$(INSTALL) -d $(DESTDIR)$(EM_DOCDIR)/examples/releases.d
	$(INSTALL) -m 0644 README.md conf/postfix-main.cf.snippet conf/sendmail.mc.snippet \
		$(DESTDIR)$(EM_DOCDIR)/
	$(INSTALL) -m 0644 conf/embargo-milter.conf $(DESTDIR)$(EM_DOCDIR)/examples/
	$(INSTALL) -m 0644 $(EM_CONF_FILES) $(DESTDIR)$(EM_DOCDIR)/examples/releases.d/
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/share/doc/embargo-milter/examples
	$(INSTALL) -m 0644 conf/examples/embargo-calendar-refresh.service \
		conf/examples/embargo-calendar-refresh.timer \
		$(DESTDIR)$(PREFIX)/share/doc/embargo-milter/examples/
	# the review console (issue 15): program, stylesheet, PAM service, unit
	$(INSTALL) -m 0755 $(BUILD)/embargo-review $(DESTDIR)$(SBINDIR)/embargo-review
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/share/embargo-milter/review $(DESTDIR)$(SYSCONFDIR)/pam.d
	$(INSTALL) -m 0644 milter/review/static/review.css $(DESTDIR)$(PREFIX)/share/embargo-milter/review/
	$(call em_install_conf,packaging/pam/embargo-review,$(SYSCONFDIR)/pam.d)
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@CONFDIR@|$(EM_CONFDIR)|g' \
		packaging/systemd/embargo-review.service.in \
		> $(DESTDIR)$(SYSTEMDUNITDIR)/embargo-review.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/embargo-review.service
	# rules/: marker sets, release templates and their tests (data, read-only).
	cd rules && find . -type d -exec $(INSTALL) -d "$(DESTDIR)$(EM_RULESDIR)/{}" \; && \
		find . -type f -exec $(INSTALL) -m 0644 {} "$(DESTDIR)$(EM_RULESDIR)/{}" \;

endif
