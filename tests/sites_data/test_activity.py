"""The activity log that feeds the staff reports, on both databases."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from sqlalchemy import Engine

from sites_data.activity import ActivityLog, Counted, Unanswered
from sites_data.db import Database


def test_counts_add_up_per_day_site_and_language(engine: Engine) -> None:
    log = ActivityLog(Database(engine))
    monday, tuesday = date(2026, 11, 23), date(2026, 11, 24)
    for _ in range(3):
        log.count(Counted.PLAY, "en", "thap-doi", day=monday)
    log.count(Counted.PLAY, "fr", "thap-doi", day=monday)
    log.count(Counted.PLAY, "en", "thap-doi", day=tuesday)
    log.count(Counted.CONVERSATION, "en", day=monday)

    plays = [(c.day, c.site_key, c.lang, c.count) for c in log.daily_counts(Counted.PLAY)]
    assert plays == [
        (tuesday, "thap-doi", "en", 1),
        (monday, "thap-doi", "en", 3),
        (monday, "thap-doi", "fr", 1),
    ]
    assert [c.count for c in log.daily_counts(Counted.CONVERSATION)] == [1]
    assert len(log.daily_counts(Counted.PLAY, since=tuesday)) == 1


def test_concurrent_counts_are_not_lost(engine: Engine) -> None:
    log = ActivityLog(Database(engine))
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda _: log.count(Counted.PLAY, "ko", "po-klong-garai"), range(40)))
    assert [c.count for c in log.daily_counts(Counted.PLAY)] == [40]


def test_unanswered_questions_by_language_and_marked_handled(engine: Engine) -> None:
    log = ActivityLog(Database(engine))
    log.record_unanswered("Wie wird das Wetter morgen?", "de", Unanswered.OUT_OF_SCOPE, "s1")
    log.record_unanswered("Can I talk to a person?", "en", Unanswered.HANDOFF, "s2", "thap-doi")
    log.record_unanswered("qwerty zzz", "en", Unanswered.FALLBACK, "s3")

    assert log.open_questions_by_language() == {"en": 2, "de": 1}
    german = log.questions(lang="de")
    assert [(q.text, q.reason) for q in german] == [
        ("Wie wird das Wetter morgen?", Unanswered.OUT_OF_SCOPE)
    ]

    assert log.mark_handled([german[0].id], by="lan") == 1
    assert log.mark_handled([german[0].id], by="lan") == 0
    assert log.open_questions_by_language() == {"en": 2}
    handled = [q for q in log.questions(include_handled=True) if q.handled_by]
    assert [q.handled_by for q in handled] == ["lan"]
