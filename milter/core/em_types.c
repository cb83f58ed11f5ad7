/*
 * em_types - names of actions. libc only.
 */
#include "em_types.h"

#include <string.h>

static const char *const action_names[] = {
	[EM_ACCEPT] = "accept", [EM_FLAG] = "flag", [EM_CONFIRM] = "confirm", [EM_STRIP] = "strip",
	[EM_QUARANTINE] = "quarantine", [EM_REJECT] = "reject", [EM_TEMPFAIL] = "tempfail",
};

const char *em_action_name(enum em_action a)
{
	if ((unsigned)a >= sizeof(action_names) / sizeof(action_names[0]))
		return NULL;
	return action_names[a];
}

int em_action_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
		if (strcmp(s, action_names[i]) == 0)
			return (int)i;
	return -1;
}
