/*
 * rules_ref - the current rule set, reference-counted. Each message takes a
 * reference at MAIL FROM and keeps it to the end, so a reload (swap) never
 * changes the rules under a message in flight; the old set is freed when its
 * last message lets go. Generic over the object (a free function is given)
 * so it can be tested without the engine. Shell only.
 */
#ifndef EM_SHELL_RULES_REF_H
#define EM_SHELL_RULES_REF_H

#include <pthread.h>

struct em_rset {
	unsigned long refs;
	void *obj; /* struct em_rules in the daemon */
	void (*free_fn)(void *obj);
};

struct em_rules_ref {
	pthread_mutex_t mu;
	struct em_rset *cur;
	void (*free_fn)(void *obj);
};

/* Starts holding obj (taken over). Returns 0, or -1 out of memory (obj not taken). */
int em_rules_ref_init(struct em_rules_ref *r, void *obj, void (*free_fn)(void *obj));
/* One more reference to the current set; never NULL after a successful init. */
struct em_rset *em_rules_ref_acquire(struct em_rules_ref *r);
/* Drops a reference from acquire; frees the set (outside the lock) at zero. Accepts NULL. */
void em_rules_ref_release(struct em_rules_ref *r, struct em_rset *s);
/* Makes obj current (taken over); the old set lives on while referenced.
 * Returns 0, or -1 out of memory (obj not taken, the old set stays). */
int em_rules_ref_swap(struct em_rules_ref *r, void *obj);
/* Drops the holder's own reference; in-flight references stay valid. */
void em_rules_ref_destroy(struct em_rules_ref *r);

#endif
