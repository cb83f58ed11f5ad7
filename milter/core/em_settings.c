/*
 * em_settings - releasing a configuration (see em_settings.h).
 *
 * Owns: the ownership rules of struct em_config: every char * in it, every
 * list and every release are owned by the config; em_src_str.file points
 * into config->files and is not freed on its own. Depends on libc and
 * em_addr only; must not depend on libmilter, syslog or libconfig.
 */
#include "em_settings.h"

#include <stdlib.h>

#include "em_fprint.h"

static void src_list_free(struct em_src_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].s);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void release_free(struct em_release_src *r)
{
	free(r->id);
	free(r->title);
	src_list_free(&r->identifiers);
	src_list_free(&r->markers);
	src_list_free(&r->content);
	em_addr_list_free(r->producers);
	em_addr_list_free(r->pra);
	free(r->fingerprints.s);
	em_fp_free(r->fp);
	src_list_free(&r->figures);
	src_list_free(&r->links);
	em_pra_clear(&r->pra_entries);
	free(r->calendar_uid);
}

/* Frees c and everything it owns (strings, lists, releases, file table); accepts NULL. */
void em_config_free(struct em_config *c)
{
	if (c == NULL)
		return;
	free(c->path);
	free(c->dir);
	free(c->socket);
	free(c->releases_dir);
	src_list_free(&c->markers);
	em_addr_list_free(c->always_allowed);
	free(c->quarantine_dir);
	free(c->timezone);
	free(c->user);
	free(c->pid_file);
	free(c->control_socket);
	free(c->notify_smtp);
	free(c->store);
	free(c->relay_id);
	free(c->audit_log);
	free(c->contact);
	free(c->security_mailbox);
	free(c->sendmail_path);
	free(c->notify_from);
	free(c->reviewer_group);
	free(c->fingerprint_key);
	free(c->confirm_address);
	free(c->confirm_url);
	for (size_t i = 0; i < c->nlabels; i++) {
		free(c->labels[i].id);
		free(c->labels[i].name);
	}
	free(c->labels);
	free(c->extract.program);
	free(c->mta);
	free(c->sendmail_cf);
	free(c->marker_sets_dir);
	free(c->calendar);
	for (size_t i = 0; i < c->nreleases; i++)
		release_free(&c->releases[i]);
	free(c->releases);
	for (size_t i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	free(c);
}
