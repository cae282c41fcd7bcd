"""The editor's path cannot lose work: a mistake in an edited file stops the build with path:line: message in
that file (with a "did you mean" for a misspelt id), and nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careguide.cli import app

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "symcat"
pytestmark = pytest.mark.skipif(not DATA.exists(), reason=f"SymCat data not found at {DATA}")


def _edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (once) and return the line it is on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def _build(general: Path, curation: Path, out: Path) -> tuple[int, str]:
    args = ["import", "symcat", str(DATA), "--general", str(general), "--curation", str(curation), "--output", str(out)]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output


def test_every_mistake_in_edited_files_stops_the_build_at_its_line(tmp_path: Path) -> None:
    general = tmp_path / "general"
    curation = tmp_path / "curation"
    shutil.copytree(ROOT / "knowledge" / "general", general)
    shutil.copytree(ROOT / "knowledge" / "curation" / "symcat", curation)

    # An unknown ICD-10-CM code in one profile, a prior without a source in another, an indentation error in
    # a third.
    migraine = general / "conditions" / "migraine.yaml"
    icd_line = _edit(migraine, "icd10: G43.909", "icd10: G43.9O9")
    cluster = general / "conditions" / "cluster_headache.yaml"
    prior_line = cluster.read_text(encoding="utf-8").split("\n").index("prior:") + 1
    _edit(cluster, "  expert_estimate: true\n", "")
    gout = general / "conditions" / "gout.yaml"
    text = gout.read_text(encoding="utf-8").replace("\nfindings:\n", "\nfindings:\n   bad_indent: {p: 0.1}\n", 1)
    gout.write_text(text, encoding="utf-8")
    # The same id in a second file.
    shutil.copy(general / "conditions" / "tension_headache.yaml", general / "conditions" / "tension_headache_2.yaml")
    # A misspelt finding in a profile, a misspelt same_as in the SymCat overlay, a misspelt catalogue entry.
    finding_line = _edit(migraine, "  light_sensitivity: {p:", "  light_sensitivty: {p:")
    same_as_line = _edit(curation / "conditions-1.yaml", "same_as: acute_pancreatitis", "same_as: acute_pancreatits")
    _edit(general / "catalogue.yaml", "replaces: [coronary_artery_disease]", "replaces: [coronary_artery_diseas]")

    out = tmp_path / "pack"
    code, output = _build(general, curation, out)
    assert code == 1
    assert not out.exists(), "nothing is written when an edited file has a problem"
    assert f"{migraine}:{icd_line}: unknown ICD-10-CM code 'G43.9O9'" in output
    assert f"{cluster}:{prior_line}: prior: figure has no source" in output
    assert f"{gout}:" in output and "invalid YAML" in output
    assert f"{general / 'conditions' / 'tension_headache_2.yaml'}:1: condition id 'tension_headache' differs" in output
    assert (
        f"{migraine}:{finding_line}: unknown finding 'light_sensitivty' (did you mean 'light_sensitivity'?)" in output
    )
    expected = "same_as: unknown condition 'acute_pancreatits' (did you mean 'acute_pancreatitis'?)"
    assert f"{curation / 'conditions-1.yaml'}:{same_as_line}: {expected}" in output
    assert "replaces unknown condition 'coronary_artery_diseas' (did you mean 'coronary_artery_disease'?)" in output
