"""Commitments across editions, on invented plans and through a real run."""
from datetime import date

from pipeline.derived.lineage import _link_series, match_commitments

TEXTS = ["Publish the annual equality report", "Review recruitment data by ethnicity and gender",
         "Train all managers in equality impact assessment", "Consult the disabled residents' forum on access",
         "Translate key leaflets into community languages"]


def _edition(doc: str, year: int, texts=TEXTS, slip: int = 0) -> list[dict]:
    return [{"action_id": f"{doc}-{i}", "doc_id": doc, "action": t, "ref": str(i + 1),
             "due_month": date(year + (1 if i < slip else 0), 3, 1)} for i, t in enumerate(texts)]


def test_reworded_commitments_match_one_to_one():
    earlier = _edition("a", 2011)
    later = _edition("b", 2012, [TEXTS[0] + " on the website", TEXTS[2], "Hold a cohesion event", TEXTS[1]], slip=0)
    links = match_commitments(earlier, later)
    assert {k: v["to_action_id"] for k, v in links.items()} == {"a-0": "b-0", "a-2": "b-1", "a-1": "b-3"}
    assert len({v["to_action_id"] for v in links.values()}) == len(links)
    assert links["a-0"]["same_ref"] and not links["a-2"]["same_ref"]


def test_slipped_is_a_later_due_month():
    links = match_commitments(_edition("a", 2011), _edition("b", 2011, slip=2))
    assert [links[f"a-{i}"]["slipped"] for i in range(5)] == [True, True, False, False, False]


def test_each_edition_follows_the_series_it_shares_most_with():
    other = ["Audit pay by grade", "Benchmark sickness absence", "Survey staff wellbeing", "Refresh the HR strategy"]
    actions = {"plan-2010": _edition("plan-2010", 2010), "hr-2011": _edition("hr-2011", 2011, other),
               "plan-2012": _edition("plan-2012", 2012)}
    editions = [(date(2010, 3, 1), "plan-2010"), (date(2011, 3, 1), "hr-2011"), (date(2012, 3, 1), "plan-2012")]
    rows = _link_series(editions, actions)
    assert {(r["from_doc_id"], r["to_doc_id"]) for r in rows} == {("plan-2010", "plan-2012")}
    assert len(rows) == len(TEXTS)
