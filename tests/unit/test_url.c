/*
 * test_url - em_url: the plain URL behind Safe Links, Proofpoint URL Defense
 * and SharePoint sharing links (red team: a release's `links` never met a
 * "Copy link" URL or a link a gateway had wrapped).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "em_url.h"

/* em_url_targets of in: want (lines) and how many. */
static void expect_targets(const char *in, const char *want, int n)
{
	struct em_buf b = EM_BUF_INIT;

	assert_int_equal(em_url_targets(in, strlen(in), &b), n);
	assert_string_equal(b.data ? b.data : "", want);
	em_buf_free(&b);
}

static void test_sharing_links_are_under_their_site(void **state)
{
	(void)state;
	expect_targets("Draft: https://dfe.sharepoint.com/:w:/s/fostering-2026/EQx7bW3k?e=4fG7hJ\n",
		       "https://dfe.sharepoint.com/sites/fostering-2026/EQx7bW3k?e=4fG7hJ\n", 1);
	expect_targets("<https://dfe.sharepoint.com/:x:/r/sites/fostering-2026/_layouts/15/Doc.aspx?"
		       "sourcedoc=%7B1%7D&action=edit>",
		       "https://dfe.sharepoint.com/sites/fostering-2026/_layouts/15/Doc.aspx?"
		       "sourcedoc=%7B1%7D&action=edit\n",
		       1);
	expect_targets("href=\"https://dfe.sharepoint.com/:f:/t/stats-team/Ek1\"",
		       "https://dfe.sharepoint.com/teams/stats-team/Ek1\n", 1);
	expect_targets("https://dfe-my.sharepoint.com/:b:/g/personal/sam_dfe_gov_uk/Eb2",
		       "https://dfe-my.sharepoint.com/personal/sam_dfe_gov_uk/Eb2\n", 1);
}

static void test_text_without_links_gives_nothing(void **state)
{
	(void)state;
	expect_targets("", "", 0);
	expect_targets("Ratio 3:1, see /:w:/s/ not a url, time 9:30", "", 0);
	expect_targets("https://dfe.sharepoint.com/sites/fostering-2026/a.docx", "", 0);
	expect_targets("https://x.example/:w:/q/site/", "", 0); /* not a sharing kind */
	expect_targets("https://x.example/:w", "", 0);		  /* cut short */
}

static void test_safe_links_are_unwrapped(void **state)
{
	(void)state;
	expect_targets("https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fdfe.sharepoint."
		       "com%2Fsites%2Ffostering-2026%2FShared%2520Documents%2Fdraft.docx&data=05%7C01"
		       "&sdata=abc%3D&reserved=0",
		       "https://dfe.sharepoint.com/sites/fostering-2026/Shared%20Documents/draft.docx\n",
		       1);
	/* a sharing link inside Safe Links: both readings */
	expect_targets("<https://gbr01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fdfe.sharepoint"
		       ".com%2F%3Aw%3A%2Fs%2Ffostering-2026%2FEQx7&data=05>",
		       "https://dfe.sharepoint.com/:w:/s/fostering-2026/EQx7\n"
		       "https://dfe.sharepoint.com/sites/fostering-2026/EQx7\n",
		       2);
	/* no url= parameter; a bad escape is kept as written */
	expect_targets("https://eur02.safelinks.protection.outlook.com/?data=05", "", 0);
	expect_targets("https://eur02.safelinks.protection.outlook.com/?url=a%zzb%4", "a%zzb%4\n", 1);
}

static void test_proofpoint_links_are_unwrapped(void **state)
{
	(void)state;
	expect_targets("https://urldefense.proofpoint.com/v2/url?u=https-3A__dfe.sharepoint.com_sites_"
		       "fostering-2D2026_draft.docx&d=DwMFaQ&c=abc",
		       "https://dfe.sharepoint.com/sites/fostering-2026/draft.docx\n", 1);
	expect_targets("https://urldefense.com/v3/__https://dfe.sharepoint.com/sites/fostering-2026/"
		       "draft.docx__;!!AbC!xyz$ more",
		       "https://dfe.sharepoint.com/sites/fostering-2026/draft.docx\n", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sharing_links_are_under_their_site),
	    cmocka_unit_test(test_text_without_links_gives_nothing),
	    cmocka_unit_test(test_safe_links_are_unwrapped),
	    cmocka_unit_test(test_proofpoint_links_are_unwrapped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
