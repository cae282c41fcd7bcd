"""The home page's common starting points (curated, most useful first, each starting the checker with its
complaint), for the general pack and for a narrower pack that lacks most of them; and the site's favicon."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from careguide.web.guides.starting import STARTING_POINTS, starting_points
from careguide.web.knowledge import knowledge

pytestmark = pytest.mark.django_db

FIRST_TEN = [
    "headache",
    "cough",
    "fever",
    "abdominal_pain",
    "back_pain",
    "chest_pain",
    "skin_rash",
    "sore_throat",
    "ear_pain",
    "dizziness",
]


def _starts(html: str) -> list[str]:
    return re.findall(r'href="/check/\?complaint=([a-z0-9_]+)"', html)


def test_the_starting_points_come_in_the_curated_order(visitor: Client) -> None:
    starts = _starts(visitor.get("/").content.decode())
    assert starts[:10] == FIRST_TEN
    assert {"diarrhoea", "joint_pain", "painful_urination"} <= set(starts)
    assert len(starts) == len(set(starts))


def test_every_starting_point_is_a_complaint_the_checker_starts_from(visitor: Client) -> None:
    k = knowledge()
    for finding_id in _starts(visitor.get("/").content.decode()):
        assert k.finding(finding_id).complaint
        page = visitor.get("/check/", {"complaint": finding_id}).content.decode()
        assert f'name="complaint" value="{finding_id}"' in page, finding_id  # the checker takes it up


def test_an_id_the_pack_lacks_or_that_is_no_complaint_is_left_out() -> None:
    k = knowledge()
    assert not k.finding("nausea_vomiting").complaint  # only a follow-up question in the general pack
    chosen = [f.id for f in starting_points(k, (("no_such_finding",), ("nausea_vomiting",), ("cough",)), minimum=1)]
    assert chosen == ["cough"]
    # The first id of an entry that the pack has as a complaint stands for it.
    chosen = [f.id for f in starting_points(k, (("no_such_finding", "headache"),), minimum=1)]
    assert chosen == ["headache"]


def test_a_narrow_pack_keeps_its_order_and_is_topped_up_with_its_own_complaints(
    visitor: Client, back_pain_pack: None
) -> None:
    k = knowledge()
    complaints = [f.id for f in k.findings if f.complaint]
    starts = _starts(visitor.get("/").content.decode())
    curated = [ids[0] for ids in STARTING_POINTS if ids[0] in complaints]
    assert starts[: len(curated)] == curated == ["fever", "abdominal_pain", "back_pain", "chest_pain"]
    assert sorted(starts) == sorted(complaints)  # the rest (flank pain) fills the list
    assert "headache" not in starts


def test_the_favicon_is_the_site_s_own_and_ico_requests_find_it(visitor: Client) -> None:
    html = visitor.get("/").content.decode()
    assert '<link rel="icon" href="/static/careguide/favicon.svg" type="image/svg+xml">' in html
    response = visitor.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/careguide/favicon.svg"
    icon = visitor.get(response["Location"])
    assert icon.status_code == 200 and icon["Content-Type"].startswith("image/svg+xml")
    body = b"".join(icon.streaming_content) if icon.streaming else icon.content  # type: ignore[attr-defined]
    assert body.startswith(b"<svg") and b"http://www.w3.org/2000/svg" in body
