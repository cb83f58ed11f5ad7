/*
 * mlfi - the libmilter callbacks. Each one fetches its context, makes one
 * session/engine call and maps the result; end-of-message hands the verdict
 * to em_act through an ops table bound to smfi_* calls. Shell only.
 */
#ifndef EM_SHELL_MLFI_H
#define EM_SHELL_MLFI_H

#include <libmilter/mfapi.h>

#include "rules_ref.h"

/* Actions we ask the MTA for. */
#define EM_MLFI_FLAGS (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_DELRCPT | SMFIF_QUARANTINE)

/* The filter description for smfi_register; messages use the rules in ref
 * (kept by the caller for the daemon's lifetime). */
struct smfiDesc *em_mlfi_desc(struct em_rules_ref *ref);

#endif
