"""The one date format (badges.web.dates): dates, times in UTC, and ISO strings read from a credential."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from badges.web.dates import day, moment


def test_days_and_moments():
    assert day(date(2026, 12, 3)) == "3 Dec 2026"
    assert day(datetime(2026, 12, 3, 14, 5)) == "3 Dec 2026"
    assert moment(datetime(2026, 12, 3, 14, 5)) == "3 Dec 2026, 14:05 UTC"
    assert day(None) == moment(None) == ""


def test_iso_strings_from_a_credential_are_shown_the_same_way_in_utc():
    assert day("2026-12-03T23:30:00Z") == "3 Dec 2026"
    assert day("2026-12-04T01:30:00+02:00") == "3 Dec 2026"
    assert moment("2026-12-04T01:30:00+02:00") == "3 Dec 2026, 23:30 UTC"
    assert moment(datetime(2026, 12, 4, 1, 30, tzinfo=timezone(timedelta(hours=2)))) == "3 Dec 2026, 23:30 UTC"
    assert day("2026-12-03") == moment("2026-12-03") == "3 Dec 2026"


def test_a_string_that_is_no_date_is_shown_as_it_is():
    assert day("next Tuesday") == "next Tuesday" and moment("") == ""
