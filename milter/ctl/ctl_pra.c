/* ctl_pra - `embargoctl pra export|history RELEASE` (placeholder, filled below). */
#include <stdio.h>

#include "ctl.h"

int em_ctl_pra(int argc, char **argv)
{
	fprintf(stderr, "embargoctl pra: not built yet\n");
	return 2;
}
