from __future__ import annotations

from django import forms

from careguide.engine.case import MAX_AGE


class StartForm(forms.Form):
    age = forms.IntegerField(
        min_value=0,
        max_value=MAX_AGE,
        label="Age in years",
        help_text="Answering for a child? Give the child's age.",
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
