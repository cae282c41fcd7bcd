"""Home, conditions A-Z, guide pages and the about page."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_offers_search_quiz_and_a_to_z_letters_without_listing_every_condition(visitor: Client) -> None:
    html = visitor.get("/").content.decode()
    assert "What's bothering you?" in html
    assert 'action="/check/"' in html
    assert 'href="/conditions/?letter=S"' in html and 'href="/conditions/"' in html
    assert 'href="/conditions/spine_metastases/"' not in html  # no full list: that is the A-Z's job
    assert len(html) < 20_000  # it was 150 kB with all ~600 conditions
    assert "not a diagnosis" in html


def test_guide_page_shows_article_sources_review_status_and_quiz_button(visitor: Client) -> None:
    response = visitor.get("/conditions/spine_metastases/")
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("What it is", "Symptoms", "When to get help", "Treatment", "Living with it", "Sources"):
        assert f">{heading}</h2>" in html
    assert "Not yet medically reviewed" in html
    assert "Last updated" in html and "2026-11-27" in html
    assert 'href="/check/?complaint=back_pain"' in html  # "Take the quiz" starts from back pain
    assert 'id="source-van_den_brande_2022"' in html and "10.1016/j.jbo.2022.100446" in html
    assert 'href="#source-van_den_brande_2022"' in html  # inline citation links to its source
    assert "Patchell" in html  # a treatment's evidence from the knowledge
    assert "Was this article helpful?" in html
    assert "Share your story" in html


def test_a_guide_asks_was_this_article_helpful_once(visitor: Client) -> None:
    for condition in ("spine_metastases", "kidney_stone", "migraine"):
        html = visitor.get(f"/conditions/{condition}/").content.decode()
        assert html.count("Was this article helpful?") == 1, condition
        assert 'fieldset aria-labelledby="feedback-title"' in html  # the answers are still labelled by it
        assert 'name="helpful" value="yes"' in html and 'name="helpful" value="no"' in html


def test_a_feedback_error_is_shown_with_the_question_still_asked_once(visitor: Client) -> None:
    response = visitor.post("/conditions/kidney_stone/feedback/", {"comment": "no vote"})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("Was this article helpful?") == 1 and "This field is required." in html


def test_guide_pages_are_cacheable_and_set_no_cookie(visitor: Client) -> None:
    response = visitor.get("/conditions/sciatica/")
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_every_page_forbids_assets_from_other_hosts(visitor: Client) -> None:
    csp = visitor.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    html = visitor.get("/conditions/kidney_stone/").content.decode()
    assert 'src="http' not in html and 'href="http' not in html


def test_an_unknown_condition_is_404(visitor: Client) -> None:
    assert visitor.get("/conditions/no_such_thing/").status_code == 404


def test_about_page_states_retention_and_cookie(visitor: Client) -> None:
    html = visitor.get("/about/").content.decode()
    assert "deleted 24 hours after your last answer" in html
    assert "careguide_session" in html


def test_a_guide_without_an_article_is_generated_from_the_knowledge(
    visitor: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace
    from types import MappingProxyType

    from careguide.web import knowledge as site
    from careguide.web.guides import views

    bare = replace(site.knowledge(), articles=MappingProxyType({}))
    monkeypatch.setattr(views, "knowledge", lambda: bare)
    html = visitor.get("/conditions/kidney_stone/").content.decode()
    assert "Generated from the knowledge base" in html
    assert "How common each symptom is" in html
    assert "Pain in the side (loin)</strong>: about 9 in 10 people" in html
    assert 'id="source-nice_ng118"' in html  # sources of its figures and treatments
    summary = str(bare.condition("kidney_stone").summary)
    assert html.count(summary[:60]) == 2  # once under "What it is", once in the page's description; not repeated


def test_every_condition_of_the_general_pack_gets_a_generated_guide(
    visitor: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from careguide.kb import load
    from careguide.web.guides import views

    general = load(Path(__file__).resolve().parents[2] / "packs" / "general")
    monkeypatch.setattr(views, "knowledge", lambda: general)
    html = visitor.get("/conditions/common_cold/").content.decode()
    assert "Generated from the knowledge base" in html and "J00" in html
    assert "How common each symptom is" in html and 'id="source-symcat_namcs"' in html
    for c in general.conditions[::50]:
        assert visitor.get(f"/conditions/{c.id}/").status_code == 200


def test_a_generated_guide_says_who_gets_it_its_warning_signs_and_self_care(visitor: Client) -> None:
    html = visitor.get("/conditions/meningitis/").content.decode()
    assert "Who gets it" in html and "Most common in babies under 1." in html
    assert "Get help sooner if there are warning signs" in html
    assert "Rash that does not fade under a glass: emergency care" in html
    html = visitor.get("/conditions/common_cold/").content.decode()
    assert "What you can do yourself" in html


def test_a_guide_does_not_list_visit_co_occurrences_as_symptoms(visitor: Client) -> None:
    """SymCat records every reason given at a visit; a finding marked ``explains: false`` is not a symptom,
    and a condition without a clinical profile says its list is what people mentioned at visits."""
    from careguide.web.guides.content import common_symptoms
    from careguide.web.knowledge import knowledge

    k = knowledge()
    unexplained = [
        (c, fid) for c in k.conditions for fid, link in c.findings.items() if not link.explains and (link.p or 0) >= 0.3
    ]
    assert unexplained, "the pack has co-occurrence findings to test with"
    for c, fid in unexplained:
        assert k.finding(fid).name not in {s.name for s in common_symptoms(k, c)}
    imported = next(c for c in k.conditions if c.imported and common_symptoms(k, c))
    html = visitor.get(f"/conditions/{imported.id}/").content.decode()
    assert "What people with it mention at a doctor" in html and "How common each symptom is" not in html
