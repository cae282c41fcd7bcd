"""Conditions A to Z: one letter per page with a letter bar, and a server-side search by the names a condition
goes by (everyday name, medical name, guide title), working without JavaScript."""

from __future__ import annotations

import re
import unicodedata

import pytest
from django.test import Client

from careguide.web.guides.index import MAX_RESULTS, letter_of, search
from careguide.web.knowledge import knowledge

pytestmark = pytest.mark.django_db


def _guide_links(html: str) -> list[str]:
    return re.findall(r'href="/conditions/([a-z0-9_]+)/"', html)


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def test_every_condition_is_under_exactly_one_letter(visitor: Client) -> None:
    k = knowledge()
    seen: list[str] = []
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        response = visitor.get("/conditions/", {"letter": letter})
        assert response.status_code == 200
        links = _guide_links(response.content.decode())
        assert all(letter_of(k.condition(c).name) == letter for c in links), letter
        seen += links
    assert sorted(seen) == sorted(c.id for c in k.conditions)


def test_the_index_starts_at_the_first_letter_with_a_letter_bar(visitor: Client) -> None:
    k = knowledge()
    html = visitor.get("/conditions/").content.decode()
    assert '<h2 id="letter-title">A</h2>' in html
    assert 'href="/conditions/?letter=A" aria-current="page"' in html
    assert 'href="/conditions/?letter=B"' in html
    assert sorted(_guide_links(html)) == sorted(c.id for c in k.conditions if letter_of(c.name) == "A")
    assert 'href="/conditions/migraine/"' not in html  # M is on its own page
    assert len(_guide_links(html)) < 100  # one letter, not ~600 conditions


def test_a_letter_page_lists_its_conditions_alphabetically(visitor: Client) -> None:
    k = knowledge()
    html = visitor.get("/conditions/?letter=m").content.decode()  # either case
    names = [k.condition(c).name for c in _guide_links(html)]
    assert names and names == sorted(names, key=_plain)  # accents do not move a name: Ménière under Men
    assert "Migraine" in names and "Ménière's disease" in names


def test_a_letter_with_no_conditions_says_so_and_is_not_a_link(visitor: Client) -> None:
    response = visitor.get("/conditions/?letter=X")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No conditions start with X." in html
    assert 'href="/conditions/?letter=X"' not in html and '<span class="az-empty"' in html


@pytest.mark.parametrize("letter", ["AB", "1", "é", "<b>"])
def test_a_letter_that_is_not_one_is_404(visitor: Client, letter: str) -> None:
    assert visitor.get("/conditions/", {"letter": letter}).status_code == 404


def test_search_finds_by_everyday_name(visitor: Client) -> None:
    html = visitor.get("/conditions/", {"q": "migraine"}).content.decode()
    assert "2 conditions matching “migraine”" in html
    assert _guide_links(html)[0] == "migraine"  # the name that starts with the words first
    assert "vestibular_migraine" in _guide_links(html)


def test_search_finds_by_medical_name_and_shows_it(visitor: Client) -> None:
    html = visitor.get("/conditions/", {"q": "myocardial infarction"}).content.decode()
    links = _guide_links(html)
    assert links[0] == "heart_attack"
    assert "(Acute myocardial infarction)" in html  # why "Heart attack" matched


def test_search_tolerates_a_typo_and_plurals(visitor: Client) -> None:
    assert "asthma" in " ".join(_guide_links(visitor.get("/conditions/", {"q": "astma"}).content.decode()))
    assert _guide_links(visitor.get("/conditions/", {"q": "kidney stones"}).content.decode())[0] == "kidney_stone"


def test_a_correct_word_does_not_pull_in_look_alikes() -> None:
    k = knowledge()
    found = {h.condition.id for h in search(k, "infarction")}
    assert "heart_attack" in found
    assert not any("infection" in k.condition(c).name.lower() for c in found)


def test_search_with_no_match_offers_the_checker(visitor: Client) -> None:
    response = visitor.get("/conditions/", {"q": "xyzzy plugh"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No conditions match “xyzzy plugh”" in html and _guide_links(html) == []
    assert 'href="/check/?q=xyzzy%20plugh"' in html


def test_a_broad_search_is_capped_and_says_so(visitor: Client) -> None:
    k = knowledge()
    total = len(search(k, "s"))
    assert total > MAX_RESULTS
    html = visitor.get("/conditions/", {"q": "s"}).content.decode()
    assert f"{total} conditions matching" in html and f"Showing the first {MAX_RESULTS}." in html
    assert len(_guide_links(html)) == MAX_RESULTS


def test_search_input_is_escaped_trimmed_and_never_an_error(visitor: Client) -> None:
    html = visitor.get("/conditions/", {"q": '<script>alert("x")</script>'}).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    long = visitor.get("/conditions/", {"q": "migraine " * 2000})
    assert long.status_code == 200
    assert visitor.get("/conditions/", {"q": "   "}).status_code == 200  # blank: the letter page
    assert visitor.get("/conditions/", {"q": "\x00"}).status_code == 200


def test_the_search_box_is_a_plain_get_form_that_keeps_the_words(visitor: Client) -> None:
    html = visitor.get("/conditions/", {"q": "glue ear"}).content.decode()
    assert re.search(r'<form class="search az-search" action="/conditions/" method="get"', html)
    assert 'value="glue ear"' in html and '<label for="az-q">' in html


def test_the_index_is_cacheable_and_sets_no_cookie(visitor: Client) -> None:
    response = visitor.get("/conditions/", {"q": "ear"})
    assert "public" in response["Cache-Control"] and not response.cookies
