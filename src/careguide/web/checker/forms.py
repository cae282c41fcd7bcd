from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from careguide.engine import InputError, check_age
from careguide.engine.case import MAX_AGE
from careguide.web.knowledge import knowledge


class StartForm(forms.Form):
    subject = forms.ChoiceField(
        choices=[("self", "Me"), ("child", "My child"), ("other", "Someone else")],
        required=False,  # left out (an older form or client): the person themself
        initial="self",
        widget=forms.RadioSelect,
        label="Who are you asking for?",
        help_text="The questions are worded for the person you choose.",
    )
    age = forms.IntegerField(
        min_value=0,
        max_value=MAX_AGE,
        label="Age in years",
        help_text="Answering for a child? Give the child's age.",
    )
    age_months = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=23,
        label="For a baby or child under 2: age in months",
        help_text="Some warning signs depend on it (a fever in a baby under 3 months is an emergency).",
    )
    sex = forms.ChoiceField(
        choices=[("female", "Female"), ("male", "Male")],
        widget=forms.RadioSelect,
        label="Sex at birth",
        help_text="Some conditions are more common in one sex.",
    )
    words = forms.CharField(
        required=False,
        max_length=200,
        label="What is bothering you most?",
        help_text="Type a few words, for example: back pain",
    )
    complaint = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        youngest = knowledge().pack.min_age
        if youngest > 0:
            self.fields["age"].help_text = f"This symptom checker is written for people aged {youngest} and over."

    def clean_subject(self) -> str:
        return str(self.cleaned_data.get("subject") or "self")

    def clean_age(self) -> int:
        age: int = self.cleaned_data["age"]
        try:
            check_age(knowledge(), age)  # the engine's rule, as in the API and the terminal quiz
        except InputError:
            raise forms.ValidationError(
                f"This symptom checker is written for people aged {knowledge().pack.min_age} and over, so it "
                "cannot advise on a younger person. Please ask a doctor, nurse or pharmacist; in an emergency "
                f"call {settings.CAREGUIDE_EMERGENCY_NUMBER}.",
                code="too_young",
            ) from None
        return age

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        age, months = data.get("age"), data.get("age_months")
        if months is not None and age is not None:
            if age >= 2:
                data["age_months"] = None  # only used for children under 2
            elif months // 12 != age:
                self.add_error("age_months", f"{months} months does not fit an age of {age} year(s).")
        return data
