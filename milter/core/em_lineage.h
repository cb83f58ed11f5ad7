/*
 * em_lineage - thread lineage: a message's threading headers turned into
 * normalized lookup keys, and the interface through which the scan asks a
 * store whether any of them belongs to a message already matched to an
 * embargoed release (a reply or forward of release mail stays embargoed).
 *
 * Keys are strings with a kind prefix:
 *   "mid:<local@domain>"  a Message-ID (RFC 5322 3.6.4 msg-id without the
 *                         angle brackets, folding whitespace and comments
 *                         removed, lower-cased: matching more is the safe side)
 *   "tix:<32 hex>"        the conversation GUID of Outlook's Thread-Index
 *   "sub:<text>"          a normalized subject: only ever a note, never evidence
 *
 * Must not depend on: libmilter, syslog, libconfig, the store. Never logs,
 * never exits. Pure: the store is reached only through struct
 * em_lineage_lookup, injected by the caller. Bounded: at most
 * EM_LINEAGE_MAX_KEYS keys per message (the rest are dropped and flagged).
 */
#ifndef EM_LINEAGE_H
#define EM_LINEAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "em_buf.h"

#define EM_LINEAGE_MAX_KEYS 256 /* keys kept per message (lookup and origin) */
#define EM_LINEAGE_KEY_MAX 512	/* bytes of one key; longer ids are dropped */
#define EM_LINEAGE_GUID_LEN 16

/*
 * Decodes an Outlook Thread-Index header value: base64 of the
 * PidTagConversationIndex property (0x0071), [MS-OXOMSG] section 2.2.1.3
 * "PidTagConversationIndex Property" (the Thread-Index header carries it in
 * Internet mail, [MS-OXCMAIL]). The decoded value is a 22-byte Conversation
 * Index Header followed by 5-byte Response Levels, one per reply. The header
 * is: Reserved (1 byte, 0x01), Current FILETIME (5 bytes, big-endian), GUID
 * (16 bytes), i.e. the conversation GUID is decoded bytes 6..21 inclusive
 * (offset 6, length 16). Every reply and forward in the
 * conversation keeps the header block and appends a child block, so the GUID
 * names the conversation. The reserved byte is not checked (older clients
 * wrote other values). Writes the GUID to guid. Returns 0, or -1 when the
 * value is not base64 of at least 22 bytes or the GUID is all zero bytes.
 */
int em_lineage_thread_index(const char *value, size_t len, unsigned char guid[EM_LINEAGE_GUID_LEN]);

/*
 * Calls fn(arg, id, idlen) for every msg-id in a Message-ID, In-Reply-To or
 * References value (RFC 5322 3.6.4): each "<...>" token, CFWS between them
 * ignored; a value without any '<' that holds one token with '@' (some
 * broken clients) counts as one id. id is not normalized (see
 * em_lineage_msgid_key). Returns the number of ids found, or fn's non-zero
 * return (negated to stay below zero) to stop.
 */
int em_lineage_msgids(const char *value, size_t len,
		      int (*fn)(void *arg, const char *id, size_t idlen), void *arg);

/*
 * Appends the key "mid:<id>" for one msg-id (without its brackets) to out:
 * whitespace removed, ASCII lower-cased. Returns 0; 1 when the id is empty,
 * longer than EM_LINEAGE_KEY_MAX or holds a control byte (nothing appended);
 * -1 when out of memory.
 */
int em_lineage_msgid_key(const char *id, size_t len, struct em_buf *out);

/*
 * Appends the normalized subject to out: reply and forward prefixes removed
 * again and again ("Re:", "RE[2]:", "Fwd:", "FW:", "AW:", "WG:", "SV:",
 * "VS:", "Antw:", "Doorst:", "TR:", "RIF:", "R:", "I:", "RV:", "ENC:",
 * "Odp:", "PD:", "YNT:", "İLT:", "ΣΧΕΤ:", "ΠΡΘ:", "Ответ:", "回复:", "转发:",
 * "답장:", "전달:", "返信:", "転送:"; an ASCII or full-width colon), "[list tags]"
 * anywhere before the text, whitespace runs collapsed, lower-cased (ASCII).
 * subj is UTF-8 (already RFC 2047-decoded). Returns 0 or -1 out of memory.
 */
int em_lineage_subject(const char *subj, size_t len, struct em_buf *out);

/* One key of a message, with where it was found. */
struct em_lineage_key {
	char *key;   /* "mid:...", "tix:...", "sub:..." */
	char *where; /* "header:References", "attachment:A.eml/header:Message-ID" */
};

/* What a message's headers say about its thread. */
struct em_lineage;

/* A collector for one message. Returns NULL when out of memory. */
struct em_lineage *em_lineage_new(void);
/* Accepts NULL. */
void em_lineage_free(struct em_lineage *l);

/*
 * Feeds one header field of a message header block. nested: the header block
 * of a message inside the message (message/rfc822 part, saved .eml);
 * where_prefix: that part's where ("attachment:A.eml"), ignored when not
 * nested. value is the raw unfolded value. Fields other than Message-ID,
 * In-Reply-To, References, Thread-Index and (top-level) Subject are ignored.
 * Returns 0, or -1 when out of memory.
 */
int em_lineage_header(struct em_lineage *l, bool nested, const char *where_prefix, const char *name,
		      const char *value, size_t len);

/*
 * Keys to look up: every key the message points at (its own Message-ID and
 * Thread-Index GUID, In-Reply-To, References, and the same of every attached
 * message) plus its normalized subject. *n receives the count. Owned by l.
 */
const struct em_lineage_key *em_lineage_lookup_keys(const struct em_lineage *l, size_t *n);

/*
 * Keys to record when this message is matched to an embargoed release: its
 * own Message-ID, its Thread-Index GUID, the Message-IDs of attached
 * messages, and its normalized subject (never In-Reply-To/References: those
 * name its parents, which may be innocent). Owned by l.
 */
const struct em_lineage_key *em_lineage_origin_keys(const struct em_lineage *l, size_t *n);

/* The message's own Message-ID key ("mid:..."), or NULL. Owned by l. */
const char *em_lineage_own_id(const struct em_lineage *l);
/* The normalized subject (no prefix), or NULL. Owned by l. */
const char *em_lineage_norm_subject(const struct em_lineage *l);
/* True when keys were dropped at EM_LINEAGE_MAX_KEYS. */
bool em_lineage_truncated(const struct em_lineage *l);

/* One recorded origin a looked-up key belongs to. */
struct em_lineage_hit {
	size_t key;	  /* index into the keys passed to lookup */
	char *release;	  /* release id the origin was matched to */
	char *message_id; /* the origin's Message-ID key ("mid:..."), or NULL */
	char *record;	  /* the origin's quarantine record id, NULL when delivered */
	time_t at;	  /* when the origin was matched */
	time_t expires;	  /* the release's publish_at when it was recorded */
};

/*
 * The store, as the scan sees it. lookup: finds the recorded origins of keys
 * (any order, several per key possible); *hits receives an array of *nhits
 * (malloc'd; each string malloc'd; the caller frees it with
 * em_lineage_hits_free). Returns 0, or -1 with a reason in err (the scan then
 * adds a note: a store failure never blocks or delivers by itself).
 */
struct em_lineage_lookup {
	void *ctx;
	int (*lookup)(void *ctx, const char *const *keys, size_t nkeys,
		      struct em_lineage_hit **hits, size_t *nhits, char *err, size_t errsz);
};

/* Frees n hits and the array; accepts NULL. */
void em_lineage_hits_free(struct em_lineage_hit *h, size_t n);

/*
 * The evidence text for a hit: "<id@host> (held as record R, matched
 * 2020-11-11T11:45:00Z)" or "... (delivered to allowed recipients, matched
 * ...)". Returns a malloc'd string, NULL when out of memory.
 */
char *em_lineage_hit_text(const struct em_lineage_hit *h);

#endif
