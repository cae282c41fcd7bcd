"""Guides: front matter, sections, citations, review status — checked with path:line messages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from careguide.kb import Knowledge, check
from tests.test_kb_check import _edit


def _messages(root: Path) -> list[str]:
    return [str(p) for p in check(root)]


def test_the_good_guide_loads_with_its_sections(tiny: Knowledge) -> None:
    article = tiny.articles["cold"]
    assert article.meta.review_status == "not_reviewed"
    assert list(article.sections)[:2] == ["What it is", "Who gets it"]
    assert article.sections["Treatment"] == "Rest."


def test_every_shipped_condition_has_a_guide_not_yet_reviewed(shipped: Knowledge) -> None:
    assert set(shipped.articles) == {c.id for c in shipped.conditions}
    assert {a.meta.review_status for a in shipped.articles.values()} == {"not_reviewed"}
    assert "Living with it" in shipped.articles["spine_metastases"].sections


def test_it_rejects_a_citation_missing_from_the_front_matter(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "articles" / "cold.md", "Anyone.", "Anyone [@other].")
    assert _messages(root) == [
        f"{root}/articles/cold.md:16: cites [@other], which is not in the front matter's sources"
    ]


def test_it_rejects_an_unknown_source_and_a_source_never_cited(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "articles" / "cold.md", "sources: [textbook]", "sources: [textbook, nobody]")
    assert _messages(root) == [
        f"{root}/articles/cold.md:1: source 'nobody' is listed but never cited in the text",
        f"{root}/articles/cold.md:6: unknown source 'nobody' (not in sources.yaml)",
    ]


def test_it_rejects_missing_unknown_and_misordered_sections(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "articles" / "cold.md", "## Symptoms", "## Signs")
    _edit(root / "articles" / "cold.md", "## Who gets it\n\nAnyone.\n\n", "")
    _edit(
        root / "articles" / "cold.md", "## Treatment\n\nRest.\n", "## Treatment\n\nRest.\n\n## Who gets it\n\nAnyone.\n"
    )
    assert _messages(root) == [
        f"{root}/articles/cold.md:9: missing section '## Symptoms'",
        f"{root}/articles/cold.md:14: unknown section 'Signs'; expected one of: What it is, Who gets it, Symptoms, "
        "Causes and risk factors, How it is diagnosed, Treatment, When to get help, Living with it",
        f"{root}/articles/cold.md:30: section 'Who gets it' is out of order or repeated",
    ]


def test_a_reviewed_guide_must_name_its_reviewer(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "articles" / "cold.md", "review_status: not_reviewed", "review_status: reviewed")
    assert _messages(root) == [f"{root}/articles/cold.md:2: a reviewed article needs `reviewed_by` and `reviewed_on`"]


def test_it_rejects_html_a_wrong_condition_and_missing_front_matter(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    _edit(root / "articles" / "cold.md", "Rest.", "Rest <script>x</script>.")
    (root / "articles" / "flu.md").write_text("## What it is\n")
    moved = (root / "articles" / "cold.md").read_text().replace("condition: cold", "condition: pneumonia")
    (root / "articles" / "pneumonia.md").write_text(moved.replace("<script>x</script>", ""))
    (root / "articles" / "pneumonia.md").rename(root / "articles" / "pneumo.md")
    assert _messages(root) == [
        f"{root}/articles/cold.md:32: HTML is not allowed in guides",
        f"{root}/articles/flu.md:1: a guide starts with YAML front matter between '---' lines",
        f"{root}/articles/pneumo.md:2: condition 'pneumonia' differs from file name",
    ]


def test_it_rejects_links_and_images_other_than_web_mail_and_anchors(pack_copy: Callable[[], Path]) -> None:
    root = pack_copy()
    bad = (
        "Rest, see [the NHS](https://www.nhs.uk/), [write](mailto:help@example.org), [below](#treatment),"
        " [another guide](/conditions/flu/).\n"
        "[click](javascript:alert(1)) ![x](data:image/png;base64,AAAA) [y]( JAVASCRIPT:alert(1) )\n"
        "[z](jav&#x61;script:alert(1)) [t](java\tscript:alert(1)) ![w](<vbscript:msgbox>)\n"
        "[ref]: javascript:alert(document.cookie)\n"
        "[file](file:///etc/passwd)."
    )
    _edit(root / "articles" / "cold.md", "Rest.", bad)
    only = "only http, https, mailto and #anchors are allowed"
    assert _messages(root) == sorted(
        [
            f"{root}/articles/cold.md:33: link or image with the scheme 'javascript' (javascript:alert(1); {only}",
            f"{root}/articles/cold.md:33: link or image with the scheme 'data' (data:image/png;base64,AAAA); {only}",
            f"{root}/articles/cold.md:33: link or image with the scheme 'javascript' (JAVASCRIPT:alert(1); {only}",
            f"{root}/articles/cold.md:34: link or image with the scheme 'javascript' (jav&#x61;script:alert(1); {only}",
            f"{root}/articles/cold.md:34: link or image with the scheme 'javascript' (java\tscript:alert(1); {only}",
            f"{root}/articles/cold.md:34: link or image with the scheme 'vbscript' (vbscript:msgbox); {only}",
            f"{root}/articles/cold.md:34: HTML is not allowed in guides",  # <vbscript:...> reads as a tag too
            f"{root}/articles/cold.md:35: link or image with the scheme 'javascript' "
            f"(javascript:alert(document.cookie)); {only}",
            f"{root}/articles/cold.md:36: link or image with the scheme 'file' (file:///etc/passwd); {only}",
        ]
    )


def test_the_knowledge_check_command_prints_bad_links_as_path_line_message(pack_copy: Callable[[], Path]) -> None:
    from typer.testing import CliRunner

    from careguide.cli import app

    root = pack_copy()
    _edit(root / "articles" / "cold.md", "Rest.", "Rest, [or not](javascript:void(0)).")
    result = CliRunner().invoke(app, ["kb", "check", str(root)])
    assert result.exit_code == 1
    assert f"{root}/articles/cold.md:32: link or image with the scheme 'javascript'" in result.output
