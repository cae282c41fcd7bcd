"""Bad input to the engine raises InputError naming the field."""

from __future__ import annotations

import pytest

from careguide.engine import Case, InputError, step
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
