/*
 * em_sniff - content-based format recognition (see em_sniff.h).
 * Pure: no allocation, no I/O. Reads at most the n bytes it is given.
 */
#include "em_sniff.h"

#include <string.h>

static bool at(const unsigned char *d, size_t n, size_t off, const void *sig, size_t len)
{
	return n >= off + len && memcmp(d + off, sig, len) == 0;
}

/* RFC 5652 ContentInfo: SEQUENCE { OID 1.2.840.113549.1.7.x, [0] ... }.
 * Returns x (1..6) or 0. Accepts definite and indefinite lengths (BER). */
static int pkcs7_type(const unsigned char *d, size_t n)
{
	static const unsigned char oid[] = {0x06, 0x09, 0x2A, 0x86, 0x48,
					    0x86, 0xF7, 0x0D, 0x01, 0x07};
	size_t i = 2;

	if (n < 16 || d[0] != 0x30)
		return 0;
	if (d[1] & 0x80) {
		size_t ll = d[1] & 0x7f;

		if (ll > 4)
			return 0;
		i = 2 + ll;
	}
	if (!at(d, n, i, oid, sizeof(oid)) || n < i + sizeof(oid) + 1)
		return 0;
	return d[i + sizeof(oid)];
}

enum em_sniff_kind em_sniff(const void *data, size_t n)
{
	static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	static const unsigned char tnef[4] = {0x78, 0x9F, 0x3E, 0x22};
	static const unsigned char xz[6] = {0xFD, '7', 'z', 'X', 'Z', 0x00};
	static const unsigned char zstd[4] = {0x28, 0xB5, 0x2F, 0xFD};
	static const unsigned char sz[6] = {'7', 'z', 0xBC, 0xAF, 0x27, 0x1C};
	const unsigned char *d = data;
	int p7;

	if (d == NULL || n < 4)
		return EM_SNIFF_NONE;
	if (at(d, n, 0, ole, 8))
		return EM_SNIFF_OLE2;
	if (at(d, n, 0, tnef, 4))
		return EM_SNIFF_TNEF;
	if (at(d, n, 0, "{\\rtf", 5))
		return EM_SNIFF_RTF;
	if (n >= 3 && d[0] == 0x1F && d[1] == 0x8B && d[2] == 0x08)
		return EM_SNIFF_GZIP;
	if (at(d, n, 0, "BZh", 3) && n >= 10 && d[3] >= '1' && d[3] <= '9' &&
	    at(d, n, 4, "\x31\x41\x59\x26\x53\x59", 6))
		return EM_SNIFF_BZIP2;
	if (at(d, n, 0, xz, 6))
		return EM_SNIFF_XZ;
	if (at(d, n, 0, zstd, 4))
		return EM_SNIFF_ZSTD;
	if (at(d, n, 0, sz, 6))
		return EM_SNIFF_7Z;
	if (at(d, n, 0, "Rar!\x1A\x07", 6))
		return EM_SNIFF_RAR;
	if (at(d, n, 0, "MSCF\0\0\0\0", 8))
		return EM_SNIFF_CAB;
	if (at(d, n, 0, "\x89PNG\r\n\x1A\n", 8))
		return EM_SNIFF_PNG;
	if (at(d, n, 0, "\xFF\xD8\xFF", 3))
		return EM_SNIFF_JPEG;
	if (at(d, n, 0, "GIF87a", 6) || at(d, n, 0, "GIF89a", 6))
		return EM_SNIFF_GIF;
	if (at(d, n, 0, "II*\0", 4) || at(d, n, 0, "MM\0*", 4))
		return EM_SNIFF_TIFF;
	if (at(d, n, 0, "BM", 2) && n >= 26 && d[14] >= 12 && d[15] == 0 && d[16] == 0 &&
	    d[17] == 0)
		return EM_SNIFF_BMP;
	if (at(d, n, 0, "RIFF", 4) && at(d, n, 8, "WEBP", 4))
		return EM_SNIFF_WEBP;
	if (at(d, n, 257, "ustar", 5))
		return EM_SNIFF_TAR;
	if (at(d, n, 32769, "CD001", 5))
		return EM_SNIFF_ISO;
	/* "%PDF-" may follow junk; readers look in the first 1024 bytes */
	for (size_t i = 0; i + 5 <= n && i < 1024; i++)
		if (d[i] == '%' && memcmp(d + i, "%PDF-", 5) == 0)
			return EM_SNIFF_PDF;
	p7 = pkcs7_type(d, n);
	if (p7 == 2)
		return EM_SNIFF_PKCS7_SIGNED;
	if (p7 == 3 || p7 == 6)
		return EM_SNIFF_PKCS7_ENVELOPED;
	if (p7 >= 1 && p7 <= 9)
		return EM_SNIFF_PKCS7_OTHER;
	return EM_SNIFF_NONE;
}

const char *em_sniff_name(enum em_sniff_kind k)
{
	static const char *const names[EM_SNIFF__COUNT] = {
	    "none",	    "pdf",
	    "ole2",	    "rtf",
	    "tnef",	    "gzip",
	    "bzip2",	    "xz",
	    "zstd",	    "tar",
	    "7z",	    "rar",
	    "cab",	    "iso",
	    "png",	    "jpeg",
	    "gif",	    "tiff",
	    "bmp",	    "webp",
	    "pkcs7-signed", "pkcs7-enveloped",
	    "pkcs7",
	};
	return (unsigned)k < EM_SNIFF__COUNT ? names[k] : "none";
}

bool em_sniff_is_image(enum em_sniff_kind k)
{
	return k >= EM_SNIFF_PNG && k <= EM_SNIFF_WEBP;
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 |
	       p[3];
}

static unsigned long le16(const unsigned char *p)
{
	return (unsigned long)p[0] | (unsigned long)p[1] << 8;
}

static unsigned long le32(const unsigned char *p)
{
	return le16(p) | le16(p + 2) << 16;
}

/* JPEG: walk the marker segments to the first SOFn (ITU T.81 B.2). */
static bool jpeg_size(const unsigned char *d, size_t n, unsigned long *w, unsigned long *h)
{
	size_t i = 2;

	while (i + 9 < n) {
		unsigned m;
		size_t len;

		if (d[i] != 0xFF)
			return false;
		m = d[i + 1];
		if (m == 0xFF) { /* fill byte */
			i++;
			continue;
		}
		if (m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) {
			i += 2;
			continue;
		}
		len = (size_t)d[i + 2] << 8 | d[i + 3];
		if (len < 2)
			return false;
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
			*h = (unsigned long)d[i + 5] << 8 | d[i + 6];
			*w = (unsigned long)d[i + 7] << 8 | d[i + 8];
			return true;
		}
		i += 2 + len;
	}
	return false;
}

bool em_sniff_image_size(const void *data, size_t n, unsigned long *w, unsigned long *h)
{
	const unsigned char *d = data;

	switch (em_sniff(d, n)) {
	case EM_SNIFF_PNG:
		if (n < 24 || !at(d, n, 12, "IHDR", 4))
			return false;
		*w = be32(d + 16);
		*h = be32(d + 20);
		return true;
	case EM_SNIFF_GIF:
		if (n < 10)
			return false;
		*w = le16(d + 6);
		*h = le16(d + 8);
		return true;
	case EM_SNIFF_BMP: {
		long hh;

		if (n < 26)
			return false;
		if (le32(d + 14) == 12) {
			*w = le16(d + 18);
			*h = le16(d + 20);
			return true;
		}
		*w = le32(d + 18);
		hh = (long)(int)le32(d + 22); /* negative: top-down */
		*h = (unsigned long)(hh < 0 ? -hh : hh);
		return true;
	}
	case EM_SNIFF_JPEG:
		return jpeg_size(d, n, w, h);
	case EM_SNIFF_WEBP:
		if (n >= 30 && at(d, n, 12, "VP8X", 4)) {
			*w = 1 + (le32(d + 24) & 0xFFFFFF);
			*h = 1 + (le32(d + 27) & 0xFFFFFF);
			return true;
		}
		if (n >= 30 && at(d, n, 12, "VP8 ", 4)) {
			*w = le16(d + 26) & 0x3FFF;
			*h = le16(d + 28) & 0x3FFF;
			return true;
		}
		if (n >= 25 && at(d, n, 12, "VP8L", 4)) {
			unsigned long b = le32(d + 21);

			*w = 1 + (b & 0x3FFF);
			*h = 1 + ((b >> 14) & 0x3FFF);
			return true;
		}
		return false;
	default:
		return false;
	}
}
