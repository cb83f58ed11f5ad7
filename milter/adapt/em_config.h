/*
 * em_config - the libconfig adapter: main config and release files into
 * struct em_config (core/em_settings.h), with every error collected as
 * "FILE:LINE: what is wrong".
 *
 * Owns: the schema (every key, its type, whether required, its default), path
 * resolution (relative to the main config's directory; PRA files relative to
 * their release file), time parsing of release keys, PRA files.
 * It does not compile regexes: em_rules does that and reports with the
 * file/line kept here.
 */
#ifndef EM_CONFIG_H
#define EM_CONFIG_H

#include "../core/em_errors.h"
#include "../core/em_settings.h"

/*
 * Loads the main config at path and every releases_dir/<*.conf> (in name
 * order). All problems are appended to errs (never printed); the function
 * keeps going after an error to report as many as it can. Returns the config
 * (caller frees with em_config_free) when errs holds no error, else NULL.
 */
struct em_config *em_config_load(const char *path, struct em_errors *errs);

/* As em_config_load, without reading any release file (nreleases is 0):
 * for `embargoctl fingerprint`, which builds what a release file names. */
struct em_config *em_config_load_main(const char *path, struct em_errors *errs);

#endif
