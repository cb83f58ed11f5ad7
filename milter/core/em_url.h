/*
 * em_url - where a wrapped or shared link really goes, so a release's
 * `links` (URL prefixes of its working area) meet it.
 *
 * Owns: recognising in text the link forms mail clients and mail gateways
 * write instead of the plain URL of a document, and writing that plain URL:
 *  - Microsoft Defender for Office 365 Safe Links: an inbound gateway rewrites
 *    every link as https://REGION.safelinks.protection.outlook.com/?url=
 *    PERCENT-ENCODED-URL&data=...; a reply or forward carries it on;
 *  - Proofpoint URL Defense: v2 https://urldefense.proofpoint.com/v2/url?u=
 *    ENCODED ('-XX' hex escapes, '_' for '/') and v3
 *    https://urldefense.com/v3/__URL__;...;
 *  - SharePoint sharing links ("Copy link", SharePoint Online and Server
 *    2019): /:T:/s/SITE/TOKEN is under /sites/SITE/, /:T:/t/SITE/ under
 *    /teams/SITE/, /:T:/r/PATH and /:T:/g/PATH under /PATH (T is the item
 *    type: w Word, x Excel, p PowerPoint, b PDF, f folder, ...).
 * An unwrapped URL is read again for a sharing link (Safe Links around a
 * sharing link gives both). Mimecast and other opaque-token rewriters name
 * no URL and are not undone.
 * Must not depend on: libmilter, syslog, libconfig. Never logs, never exits.
 */
#ifndef EM_URL_H
#define EM_URL_H

#include <stddef.h>

#include "em_buf.h"

/*
 * Appends to out, one a line ('\n' after each), the plain URL of every
 * wrapped or shared link in text[0..len) (any bytes; a link ends at a blank,
 * a quote, '<', '>' or the end). Returns how many were appended (0 when the
 * text has none: the common case costs one memchr pass over the colons),
 * or -1 out of memory. Linear in len.
 */
int em_url_targets(const char *text, size_t len, struct em_buf *out);

#endif
