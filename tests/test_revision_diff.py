"""What a resubmission changed: badges.validation.revision_diff, on its own and on real claims."""

from __future__ import annotations

import pytest

from badges.educator import evidence
from badges.extensions import db
from badges.validation import claims, reviews
from badges.validation.revision_diff import Words, cited, evidence_changes, revision_diff, word_diff
from tests.validation_setup import full_ratings, indicator_id, make_world


def snap(item_id, title="Tracker", narrative="Where each student is.", url=None, file_name=None, sha256=None):
    return {"id": item_id, "title": title, "narrative": narrative, "url": url, "file_name": file_name, "sha256": sha256}


def test_word_diff_marks_added_and_removed_words_and_keeps_the_rest():
    parts = word_diff("I track every student weekly.", "I track every student daily, with notes.")
    assert parts == [
        Words("same", "I track every student "),
        Words("removed", "weekly"),
        Words("added", "daily, with notes"),
        Words("same", "."),
    ]
    assert "".join(p.text for p in parts if p.kind != "removed") == "I track every student daily, with notes."
    assert "".join(p.text for p in parts if p.kind != "added") == "I track every student weekly."


def test_word_diff_keeps_paragraphs_and_handles_empty_text():
    parts = word_diff("One.\n\nTwo.", "One.\n\nTwo.\n\nThree.")
    assert [p.kind for p in parts] == ["same", "added"] and parts[1].text == "\n\nThree."
    assert word_diff("", "") == []
    assert word_diff("", "New") == [Words("added", "New")]
    assert word_diff("Same", "Same") == [Words("same", "Same")]


def test_evidence_changes_finds_added_removed_and_changed_items():
    before = [snap(1), snap(2, "Blog", url="https://a.example.org"), snap(3, "Photo", file_name="p.png", sha256="aa")]
    after = [
        snap(1),
        snap(2, "Class Blog", url="https://b.example.org"),
        snap(3, "Photo", file_name="p.png", sha256="bb"),
        snap(4, "Schedule"),
    ]
    changes = evidence_changes(before, after)
    assert [s["id"] for s in changes.added] == [4] and changes.removed == []
    assert [s["id"] for s in changes.unchanged] == [1]
    blog, photo = changes.changed
    assert blog.id == 2 and [c.field for c in blog.changes] == ["title", "url"]
    title = blog.changes[0]
    assert (title.label, title.before, title.after) == ("Title", "Blog", "Class Blog")
    assert Words("added", "Class ") in title.words
    assert [c.field for c in photo.changes] == ["sha256"] and photo.changes[0].words == []
    gone = evidence_changes(before, [snap(1)])
    assert [s["id"] for s in gone.removed] == [2, 3] and gone.any
    assert not evidence_changes(before, before).any


@pytest.fixture
def world(make_user, district, framework):
    return make_world(make_user, district, framework)


def _validators(world, make_user, *emails):
    people = [world.person(make_user, email, roles=("validator",)) for email in emails]
    for person in people:
        world.set_scope(person)
    return people


def _return(validator, claim, level=2):
    reviews.decide(validator, claim.id, "return", "Show more.", full_ratings(claim, level))
    db.session.commit()


def test_the_diff_starts_from_the_revision_the_validator_last_judged(world, make_user):
    vera, victor, newcomer = _validators(
        world, make_user, "vera@northfield.example.org", "victor@northfield.example.org", "new@northfield.example.org"
    )
    claim = world.claim(statement="I track every student weekly.")
    first_item = claim.current.evidence[0]
    assert revision_diff(claim, vera) is None  # revision 1: nothing to compare
    _return(vera, claim)
    claims.resubmit_claim(world.teacher, claim, "I track every student daily.", [first_item.id])
    db.session.commit()
    _return(victor, claim)
    other = evidence.add_link(
        world.teacher,
        "Schedule",
        "When support happens.",
        "https://example.org/s",
        [indicator_id(world.framework, "4.2")],
    )
    claims.resubmit_claim(world.teacher, claim, "I track every student daily, with notes.", [first_item.id, other.id])
    db.session.commit()

    mine = revision_diff(claim, vera)
    assert (mine.since.number, mine.current.number, mine.judged_by_you) == (1, 3, True)
    assert Words("removed", "weekly") in mine.statement and mine.statement_changed
    assert [s["id"] for s in mine.evidence.added] == [other.id]
    theirs = revision_diff(claim, victor)
    assert (theirs.since.number, theirs.judged_by_you) == (2, True)
    assert theirs.statement == [
        Words("same", "I track every student daily"),
        Words("added", ", with notes"),
        Words("same", "."),
    ]
    fresh = revision_diff(claim, newcomer)
    assert (fresh.since.number, fresh.judged_by_you) == (2, False)
    assert revision_diff(claim).since.number == 2  # nobody in particular: the previous revision


def test_snapshots_not_live_items_are_compared_and_cited(world, make_user):
    (vera,) = _validators(world, make_user, "vera@northfield.example.org")
    claim = world.claim()
    item = claim.current.evidence[0]
    _return(vera, claim)
    evidence.update_evidence(world.teacher, item, narrative="What it shows, with three students' work.")
    claims.resubmit_claim(world.teacher, claim, claim.current.statement, [item.id])  # only the item changed
    db.session.commit()
    diff = revision_diff(claim, vera)
    assert not diff.statement_changed
    (changed,) = diff.evidence.changed
    assert [c.field for c in changed.changes] == ["narrative"]
    assert Words("added", ", with three students' work") in changed.changes[0].words
    # Edited again after resubmitting: both revisions still read as they were submitted.
    evidence.update_evidence(world.teacher, item, title="Renamed later")
    db.session.flush()
    first, second = (cited(revision) for revision in claim.revisions)
    assert first[0].snapshot["narrative"] == "What it shows." and first[0].edited_since
    assert second[0].snapshot["title"] == f"Evidence {claim.badge_class.name}" and second[0].edited_since
    assert revision_diff(claim, vera).evidence.changed[0].changes[0].field == "narrative"
