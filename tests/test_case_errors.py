"""Bad input to the engine raises InputError naming the field."""

from __future__ import annotations

import pytest

from careguide.engine import Case, InputError, check_age, step, validate
from careguide.kb import Knowledge


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        (Case(121, "female"), "age", "must be between 0 and 120, got 121"),
        (Case(-1, "female"), "age", "must be between 0 and 120, got -1"),
        (Case("forty", "female"), "age", "expected a whole number of years, got 'forty'"),  # type: ignore[arg-type]
        (Case(True, "female"), "age", "expected a whole number of years, got True"),
        (Case(40, "other"), "sex", "expected 'female' or 'male', got 'other'"),
        (Case(40, "female", [("sneezing", "present")]), "evidence[0].finding", "unknown finding 'sneezing'"),
        (
            Case(40, "female", [("fever", "yes")]),
            "evidence[0].answer",
            "'fever' is a yes/no question: expected present, absent or unknown, got 'yes'",
        ),
        (Case(40, "female", [("fever", ["present"])]), "evidence[0].answer", "'fever' is a yes/no question"),
        (
            Case(40, "female", [("sputum", "purple")]),
            "evidence[0].answer[0]",
            "'sputum' has no option 'purple'; expected one of: clear, yellow, bloody",
        ),
        (
            Case(40, "female", [("sputum", "present")]),
            "evidence[0].answer",
            "'sputum' takes one option id or unknown",
        ),
        (
            Case(40, "female", [("pain_sites", "chest")]),
            "evidence[0].answer",
            "'pain_sites' takes a list of option ids",
        ),
        (
            Case(40, "female", [("pain_sites", ["knee"])]),
            "evidence[0].answer[0]",
            "'pain_sites' has no option 'knee'",
        ),
        (
            Case(40, "female", [("fever", "present"), ("fever", "absent")]),
            "evidence[1]",
            "finding 'fever' is answered more than once",
        ),
        (Case(40, "female", [("fever",)]), "evidence[0]", "expected a (finding, answer) pair"),  # type: ignore[list-item]
        (Case(40, "female", complaint="headache"), "complaint", "unknown finding 'headache'"),
        (Case(40, "female", complaint="sputum"), "complaint", "is not a yes/no finding"),
        (
            Case(40, "female", [("cough", "present")], complaint="cough"),
            "evidence[0]",
            "answered more than once",
        ),
    ],
)
def test_it_rejects_bad_input_naming_the_field(tiny: Knowledge, case: Case, field: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        step(tiny, case)
    assert err.value.field == field
    assert message in err.value.message


def test_several_choices_accepts_none_of_them_as_an_empty_list_or_absent(tiny: Knowledge) -> None:
    a = step(tiny, Case(40, "female", [("pain_sites", [])]))
    b = step(tiny, Case(40, "female", [("pain_sites", "absent")]))
    assert [rc.probability for rc in a.conditions] == [rc.probability for rc in b.conditions]


def test_an_option_chosen_twice_is_refused_naming_the_second(tiny: Knowledge) -> None:
    with pytest.raises(InputError) as err:
        step(tiny, Case(40, "female", [("pain_sites", ["chest", "throat", "chest"])]))
    assert err.value.field == "evidence[0].answer[2]"
    assert "option 'chest' is chosen more than once" in err.value.message


@pytest.mark.parametrize(
    ("evidence", "field"),
    [
        ([("cough", "absent"), ("sputum", "clear")], "evidence[1].finding"),  # parent answered no
        ([("sputum", "unknown")], "evidence[0].finding"),  # parent never answered, child says nothing
        ([("cough", "unknown"), ("sputum", "unknown")], "evidence[1].finding"),
    ],
)
def test_validate_refuses_a_child_answered_without_its_parent(
    tiny: Knowledge, evidence: list[tuple[str, str]], field: str
) -> None:
    with pytest.raises(InputError) as err:
        validate(tiny, Case(40, "female", evidence))
    assert err.value.field == field
    assert "'sputum' is asked only when 'cough' is present" in err.value.message


def test_validate_accepts_a_child_whose_answer_implies_its_parent(tiny: Knowledge) -> None:
    obs = validate(tiny, Case(40, "female", [("sputum", "clear")]))  # clear sputum means there is a cough
    assert obs.present_findings[tiny.finding_index["cough"]]
    validate(tiny, Case(40, "female", [("cough", "present"), ("sputum", "unknown")]))


def test_validate_refuses_an_age_below_the_pack_s_youngest(shipped: Knowledge) -> None:
    assert shipped.pack.min_age == 16
    with pytest.raises(InputError) as err:
        validate(shipped, Case(2, "female", complaint="back_pain"))
    assert err.value.field == "age"
    assert "written for people aged 16 and over, got 2" in err.value.message
    with pytest.raises(InputError, match="aged 16 and over"):
        check_age(shipped, 15)
    check_age(shipped, 16)
    validate(shipped, Case(16, "female", complaint="back_pain"))


def test_a_pack_for_all_ages_takes_a_baby(tiny: Knowledge) -> None:
    assert tiny.pack.min_age == 0
    validate(tiny, Case(0, "male", complaint="cough"))
