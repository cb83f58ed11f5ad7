/*
 * mkmsg - writes an Outlook message file (.msg, [MS-OXMSG] 2.1) with libgsf's
 * OLE2 writer: a __properties_version1.0 header stream, the subject and the
 * plain body as Unicode string properties (__substg1.0_0037001F,
 * __substg1.0_1000001F), one recipient storage and one attachment storage
 * (long file name 3707001F, data 37010102). No Debian package writes .msg;
 * this is the documented generator of the .msg fixtures (make-fixtures.sh).
 *   mkmsg OUT.msg SUBJECT BODY ATTACHMENT-FILE
 */
#include <glib.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-stdio.h>
#include <gsf/gsf-utils.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(GsfOutfile *dir, const char *name, const void *d, size_t n)
{
	GsfOutput *o = gsf_outfile_new_child(dir, name, FALSE);

	gsf_output_write(o, n, d);
	gsf_output_close(o);
	g_object_unref(o);
}

static void put_utf16(GsfOutfile *dir, const char *name, const char *utf8)
{
	glong n = 0;
	gunichar2 *u = g_utf8_to_utf16(utf8, -1, NULL, &n, NULL);

	put(dir, name, u, (size_t)n * 2 + 2); /* with its terminating NUL */
	g_free(u);
}

int main(int argc, char **argv)
{
	GsfOutput *out;
	GsfOutfile *ole, *st;
	guint8 props[32] = {0};
	gchar *data;
	gsize len;

	if (argc != 5 || !g_file_get_contents(argv[4], &data, &len, NULL)) {
		fprintf(stderr, "usage: mkmsg OUT.msg SUBJECT BODY ATTACHMENT-FILE\n");
		return 2;
	}
	gsf_init();
	out = gsf_output_stdio_new(argv[1], NULL);
	ole = gsf_outfile_msole_new(out);
	props[16] = 1; /* next recipient id */
	props[20] = 1; /* next attachment id */
	props[24] = 1; /* recipient count */
	props[28] = 1; /* attachment count */
	put(ole, "__properties_version1.0", props, sizeof(props));
	put_utf16(ole, "__substg1.0_001A001F", "IPM.Note");
	put_utf16(ole, "__substg1.0_0037001F", argv[2]);
	put_utf16(ole, "__substg1.0_1000001F", argv[3]);
	put_utf16(ole, "__substg1.0_0C1A001F", "Private Office");
	put_utf16(ole, "__substg1.0_0E04001F", "Duty Press Officer");
	st = GSF_OUTFILE(gsf_outfile_new_child(ole, "__recip_version1.0_#00000000", TRUE));
	put(st, "__properties_version1.0", props, 8);
	put_utf16(st, "__substg1.0_3001001F", "Duty Press Officer");
	put_utf16(st, "__substg1.0_39FE001F", "duty.press.officer@education.example.gov.uk");
	gsf_output_close(GSF_OUTPUT(st));
	g_object_unref(st);
	st = GSF_OUTFILE(gsf_outfile_new_child(ole, "__attach_version1.0_#00000000", TRUE));
	put(st, "__properties_version1.0", props, 8);
	put_utf16(st, "__substg1.0_3707001F",
		  strrchr(argv[4], '/') ? strrchr(argv[4], '/') + 1 : argv[4]);
	put(st, "__substg1.0_37010102", data, len);
	gsf_output_close(GSF_OUTPUT(st));
	g_object_unref(st);
	gsf_output_close(GSF_OUTPUT(ole));
	g_object_unref(ole);
	g_object_unref(out);
	g_free(data);
	gsf_shutdown();
	return 0;
}
