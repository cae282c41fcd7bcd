"""SymCat import: curation overlay applied, priors estimated, merged into the base pack, output checked."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from careguide.cli import app
from careguide.importers.symcat import estimate_log_frequencies, load_symcat
from careguide.kb import back_pain_path, check, read_pack
from careguide.kb.conformance import conformance_problems

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "symcat"
pytestmark = pytest.mark.skipif(not DATA.exists(), reason=f"SymCat data not found at {DATA}")


def test_priors_follow_the_visit_frequencies() -> None:
    data = load_symcat(DATA)
    log_c, log_s = estimate_log_frequencies(data)
    # A cold is a far more common reason to see a doctor than an aortic aneurysm.
    assert log_c["common-cold"] - log_c["abdominal-aortic-aneurysm"] > math.log(5)
    # And the estimate reproduces a stated P(condition | symptom) approximately.
    c, s = "common-cold", "cough"
    p_s_c = data.conditions[c]["symptoms"][s]["probability"] / 100
    p_c_s = data.symptoms[s]["common_causes"][f"cause-{c}"]["probability"] / 100
    assert abs((log_c[c] - log_s[s]) - (math.log(p_c_s) - math.log(p_s_c))) < 1.5


def test_a_small_curation_overlay_is_imported_and_merged(tmp_path: Path) -> None:
    curation = tmp_path / "curation"
    curation.mkdir()
    (curation / "conditions-1.yaml").write_text(
        yaml.safe_dump(
            {
                "common-cold": {
                    "keep": True,
                    "id": "common_cold",
                    "name": "Common cold",
                    "clinical_name": "Acute nasopharyngitis",
                    "icd10": "J00",
                    "summary": "A viral infection of the nose and throat. It settles in about a week.",
                    "care": "self_care",
                    "must_not_miss": False,
                },
                "kidney-stone": {"keep": True, "same_as": "kidney_stone"},
                "abdominal-aortic-aneurysm": {"keep": False, "reason": "fixture: left out"},
            }
        )
    )
    findings = {
        slug: {"id": slug.replace("-", "_"), "question": f"{slug}?", "complaint": False}
        for slug in load_symcat(DATA).symptoms
    }
    findings["back-pain"] = {"same_as": "back_pain"}
    findings["cough"] = {"id": "cough", "name": "Cough", "question": "Do you have a cough?", "complaint": True}
    (curation / "findings.yaml").write_text(yaml.safe_dump(findings))
    out = tmp_path / "pack"
    result = CliRunner().invoke(
        app,
        [
            "import",
            "symcat",
            str(DATA),
            "--curation",
            str(curation),
            "--general",
            str(tmp_path / "none"),
            "--output",
            str(out),
        ],
    )
    assert "wrote" in result.output
    assert check(out) == []
    cold = yaml.safe_load((out / "conditions" / "common_cold.yaml").read_text())
    assert cold["icd10"] == "J00" and cold["findings"]["cough"]["source"] == "symcat_namcs"
    assert "age" in cold["prior"] and cold["prior"]["modifiers"] == {"source": "symcat_namcs"}
    report = yaml.safe_load((out / "curation-report.yaml").read_text())
    assert report["left_out"] == {"abdominal-aortic-aneurysm": "fixture: left out"}
    assert report["merged_into_base"] == {"kidney-stone": "kidney_stone"}
    # The base pack's condition is kept, with its literature figures, on the new prior scale.
    stone = yaml.safe_load((out / "conditions" / "kidney_stone.yaml").read_text())
    base = yaml.safe_load((back_pain_path() / "conditions" / "kidney_stone.yaml").read_text())
    assert stone["findings"]["colicky_pain"] == base["findings"]["colicky_pain"]
    assert stone["prior"]["value"] != base["prior"]["value"]
    files, _ = read_pack(out)
    assert conformance_problems(files) == []


GENERAL = Path(__file__).resolve().parents[1] / "packs" / "general"


def test_the_committed_general_pack_is_what_the_import_produces(tmp_path: Path) -> None:
    out = tmp_path / "general"
    result = CliRunner().invoke(app, ["import", "symcat", str(DATA), "--output", str(out)])
    assert result.exit_code == 0, result.output
    produced = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(GENERAL) for p in GENERAL.rglob("*") if p.is_file())
    assert produced == committed
    for rel in produced:
        assert (out / rel).read_bytes() == (GENERAL / rel).read_bytes(), f"{rel} differs: re-run the import"


def test_the_general_pack_covers_all_ages_with_childrens_red_flags() -> None:
    from careguide.engine import Case, step
    from careguide.kb import CareLevel, load

    k = load(GENERAL)
    assert k.n_conditions > 600
    assert k.pack.min_age == 0
    # NICE NG143: any fever in a baby under 3 months is an emergency; at 7 months it depends on other signs.
    baby = step(k, Case(0, "female", [], "fever", age_months=2))
    assert baby.care.level is CareLevel.EMERGENCY
    assert any(r.rule == "fever_baby_under_3_months" for r in baby.care.red_flags)
    unknown_months = step(k, Case(0, "female", [], "fever"))  # months not given: the safe side
    assert any(r.rule == "fever_baby_under_3_months" for r in unknown_months.care.red_flags)
    older = step(k, Case(0, "female", [], "fever", age_months=7))
    assert not any(r.rule == "fever_baby_under_3_months" for r in older.care.red_flags)
    rash = step(k, Case(8, "male", [("non_blanching_rash", "present")], "fever"))
    assert rash.care.level is CareLevel.EMERGENCY
    cold = step(k, Case(30, "female", [("blocked_nose", "present"), ("sore_throat", "present")], "cough"))
    assert "common_cold" in [rc.condition.id for rc in cold.conditions[:5]]
    assert cold.care.level is not CareLevel.EMERGENCY
    # A question about a mother or a couple is not limited to babies because it mentions one.
    mother = k.finding("breastfeeding_breast_problem")
    assert mother.sex == "female" and mother.max_age is None
    assert k.finding("infertility").max_age is None
    assert k.finding("nappy_rash").max_age == 3
    report = yaml.safe_load((GENERAL / "curation-report.yaml").read_text())
    assert report["missing_curation"] == [] and len(report["left_out"]) > 50
    assert all(reason for reason in report["left_out"].values())


def test_arbitrary_tie_blocks_at_the_cut_off_are_dropped() -> None:
    from careguide.importers.symcat import arbitrary_ties

    def info(figures: list[int]) -> dict[str, object]:
        return {"symptoms": {f"s{i}": {"probability": v} for i, v in enumerate(figures)}}

    assert arbitrary_ties(info([80, 60, 50, 40, 30, 30, 20, 20, 20, 20, 20, 20])) == {f"s{i}" for i in range(6, 12)}
    assert arbitrary_ties(info([80, 60, 50, 40, 30, 30, 20, 20, 20, 20, 20, 5])) == set()  # no tie at the cut
    assert arbitrary_ties(info([80, 60, 50, 40, 30, 30, 8, 8, 8, 8, 8, 8])) == set()  # many visits: kept
    assert arbitrary_ties(info([80, 20, 20, 20])) == set()  # the list was not cut


def test_the_general_pack_curation_rules_reach_the_pack() -> None:
    from careguide.kb import load

    k = load(GENERAL)
    injuries = [
        c for c in k.conditions if c.icd10[:1] == "S" and c.id not in {"muscle_strain", "traumatic_spinal_fracture"}
    ]
    assert injuries and all("trauma" in c.findings for c in injuries)
    # SymCat's injuries and curated exposure-bound conditions are likely only through their exposure.
    assert all(c.requires == "trauma" for c in injuries if c.imported)
    assert k.condition("frostbite").requires == "cold_exposure"
    assert k.condition("pneumoconiosis").requires == "occupational_dust_exposure"
    # Back-pain findings imply their general counterparts: sciatica's leg pain is also "leg pain".
    sciatica = k.condition("sciatica")
    assert sciatica.findings["pain_in_leg"].expert_estimate and sciatica.findings["pain_in_leg"].p == pytest.approx(
        (sciatica.findings["leg_pain"].p or 0) * (sciatica.findings["back_pain"].p or 0), abs=1e-4
    )
    # Curated co-occurrences: a broken kneecap does not cause back pain, so it is unlisted as a main complaint.
    assert k.condition("kneecap_fracture").findings["back_pain"].explains is False
    assert k.condition("face_injury").findings["back_pain"].explains is False
    fi = k.finding_index["back_pain"]
    assert k.complaint_adjust[fi, k.condition_index["kneecap_fracture"]] < 0
    assert k.complaint_adjust[fi, k.condition_index["nonspecific_low_back_pain"]] == 0
    assert k.pack.complaint_leak == 0.001


def test_a_broken_curation_file_is_reported_with_its_place(tmp_path: Path) -> None:
    curation = tmp_path / "curation"
    curation.mkdir()
    bad = curation / "conditions-1.yaml"
    bad.write_text("common-cold:\n  keep: false\n  reason: a: colon\n")
    result = CliRunner().invoke(
        app, ["import", "symcat", str(DATA), "--curation", str(curation), "--output", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert f"{bad}:3: mapping values are not allowed here" in result.output
    assert "Traceback" not in result.output


def test_injuries_and_curated_exposures_become_exposure_bound(tmp_path: Path) -> None:
    curation = tmp_path / "curation"
    curation.mkdir()
    entry = {
        "keep": True,
        "clinical_name": "Injury",
        "summary": "A fixture entry: an injury.",
        "care": "emergency",
        "must_not_miss": False,
    }
    injury = {**entry, "id": "spinal_cord_injury", "name": "Spinal cord injury", "icd10": "S14.109A"}
    exposure = {**entry, "id": "frostbite", "name": "Frostbite", "icd10": "T33.90XA"}
    findings = {
        slug: {"id": slug.replace("-", "_"), "question": f"{slug}?", "complaint": True}
        for slug in load_symcat(DATA).symptoms
    }
    findings["back-pain"] = {"same_as": "back_pain"}
    (curation / "findings.yaml").write_text(yaml.safe_dump(findings))

    def build(frostbite: dict[str, object]) -> tuple[int, str, Path]:
        (curation / "conditions-1.yaml").write_text(
            yaml.safe_dump({"injury-to-the-spinal-cord": injury, "frostbite": frostbite}, sort_keys=False)
        )
        out = tmp_path / f"out{len(list(tmp_path.iterdir()))}"
        args = ["import", "symcat", str(DATA), "--curation", str(curation), "--general", str(tmp_path / "none")]
        result = CliRunner().invoke(app, [*args, "--output", str(out)])
        return result.exit_code, result.output, out

    code, output, out = build({**exposure, "requires": {"finding": "trauma", "p": 0.97, "note": "fixture"}})
    assert code == 0, output
    spinal = yaml.safe_load((out / "conditions" / "spinal_cord_injury.yaml").read_text())
    assert spinal["requires"] == "trauma" and spinal["findings"]["trauma"]["p"] == 0.9
    frost = yaml.safe_load((out / "conditions" / "frostbite.yaml").read_text())
    assert frost["requires"] == "trauma" and frost["findings"]["trauma"]["p"] == 0.97

    code, output, out = build({**exposure, "requires": "trama"})
    assert code == 1 and not out.exists()
    line = (curation / "conditions-1.yaml").read_text().splitlines().index("  requires: trama") + 1
    assert f"{curation / 'conditions-1.yaml'}:{line}: frostbite: requires: unknown finding 'trama'" in output
    assert "did you mean 'trauma'?" in output
