/* Unit test of core/tz.c: known ids, the list, day and month starts
 * across summer time changes, local clock readings. */
#include "core/common.h"
#include "core/tz.h"
#include "test.h"

/* 2026-03-29 is the day Europe/Berlin moves to summer time (02:00 ->
 * 03:00); 2026-10-25 back. Epoch seconds worked with date(1). */
int
main(void)
{
	const char *const	*v;
	size_t			 n;
	char			 s[TZ_LOCAL_LEN];

	TEST_CHECK((v = tz_list(&n)) != NULL && n > 300);
	TEST_CHECK(tz_known(STR("Europe/Berlin")));
	TEST_CHECK(tz_known(STR("Asia/Tokyo")));
	TEST_CHECK(tz_known(STR("Asia/Kolkata")) && tz_known(STR("Asia/Calcutta")));
	TEST_CHECK(!tz_known(STR("EST5EDT")));
	TEST_CHECK(tz_known(STR("America/Argentina/Buenos_Aires")));
	TEST_CHECK(tz_known(STR("UTC")));
	TEST_CHECK(!tz_known(STR("")));
	TEST_CHECK(!tz_known(STR("Europe/Berlín")));
	TEST_CHECK(!tz_known(STR("Mars/Olympus_Mons")));
	TEST_CHECK(!tz_known(STR("europe/berlin")));
	TEST_CHECK(!tz_known(STR("Europe/Berlin\n")));

	/* 2026-12-01 20:30 UTC is 2026-12-02 05:30 in Tokyo: its day
	 * started 2026-12-01 15:00 UTC, its month 2026-11-30 15:00 UTC. */
	TEST_CHECK(tz_start("Asia/Tokyo", 1796157000, 0) == 1796137200);
	TEST_CHECK(tz_start("Asia/Tokyo", 1796157000, 1) == 1796050800);
	TEST_CHECK(tz_local("Asia/Tokyo", 1796157000, s) == 0);
	TEST_STREQ(s, "2026-12-02 05:30:00");
	/* In Berlin it is still 2026-12-01 21:30: the day began at
	 * 2026-11-30 23:00 UTC, the month at the same instant. */
	TEST_CHECK(tz_start("Europe/Berlin", 1796157000, 0) == 1796079600);
	TEST_CHECK(tz_start("Europe/Berlin", 1796157000, 1) == 1796079600);
	TEST_CHECK(tz_local("Europe/Berlin", 1796157000, s) == 0);
	TEST_STREQ(s, "2026-12-01 21:30:00");
	/* The day of the change to summer time began at 23:00 UTC the day
	 * before (CET); the next at 22:00 UTC (CEST). */
	TEST_CHECK(tz_start("Europe/Berlin", 1774780800, 0) == 1774738800);
	TEST_CHECK(tz_start("Europe/Berlin", 1774857600, 0) == 1774821600);
	TEST_CHECK(tz_start("UTC", 1796157000, 0) == 1796083200);
	TEST_CHECK(tz_start("UTC", 1796157000, 1) == 1796083200);
	TEST_CHECK(tz_start("Nowhere/Else", 1796157000, 0) == -1);
	TEST_CHECK(tz_local("Nowhere/Else", 0, s) == -1 && s[0] == '\0');

	/* A sale that starts at 2026-12-02 09:00 in Tokyo starts at
	 * 00:00 UTC; the next day's midnight by rolling day 32 over. */
	TEST_CHECK(tz_utc("Asia/Tokyo", 2026, 12, 2, 9, 0, 0) ==
	    1796169600);
	TEST_CHECK(tz_midnight("Asia/Tokyo", 2026, 12, 32) ==
	    tz_midnight("Asia/Tokyo", 2027, 1, 1));
	TEST_CHECK(tz_utc("Europe/Berlin", 2026, 3, 29, 3, 0, 0) ==
	    1774746000);
	TEST_CHECK(tz_utc("Nowhere", 2026, 1, 1, 0, 0, 0) == -1);

	/* Each process keeps a few calendars open and reuses them: what
	 * one call set (tz_start's midnight, tz_utc's fields) never leaks
	 * into the next, in more zones than it keeps. */
	{
		static const char *const z[] = { "Asia/Tokyo",
		    "Europe/Berlin", "UTC", "America/New_York",
		    "Australia/Sydney", "Asia/Kolkata", "Europe/London",
		    "America/Sao_Paulo", "Africa/Cairo", "Pacific/Auckland",
		    "Asia/Shanghai", "America/Los_Angeles" };
		char	first[NELEM(z)][TZ_LOCAL_LEN];
		time_t	start[NELEM(z)];
		size_t	i, round;

		for (round = 0; round < 3; round++)
			for (i = 0; i < NELEM(z); i++) {
				time_t	d = tz_start(z[i], 1796157000, 1);
				char	l[TZ_LOCAL_LEN];

				TEST_CHECK(tz_utc(z[i], 2026, 6, 1, 12, 0, 0) > 0);
				TEST_CHECK(tz_local(z[i], 1796157000, l) == 0);
				if (round == 0) {
					memcpy(first[i], l, sizeof(l));
					start[i] = d;
				}
				TEST_STREQ(l, first[i]);
				TEST_CHECK(d == start[i]);
			}
		TEST_CHECK(tz_local("Asia/Tokyo", 1796157000, s) == 0);
		TEST_STREQ(s, "2026-12-02 05:30:00");
		TEST_CHECK(tz_start("Europe/Berlin", 1796157000, 0) ==
		    1796079600);
	}

	TEST_STREQ(tz_for_locale("ja"), "Asia/Tokyo");
	TEST_STREQ(tz_for_locale("en"), "UTC");
	TEST_CHECK(tz_known(str_c(tz_for_locale("de"))));
	return test_done();
}
