from __future__ import annotations

from django import forms

from careguide.web.stories.models import Story


class StoryForm(forms.ModelForm):  # type: ignore[type-arg]
    # Honeypot: hidden from people by CSS and labelled "leave empty"; bots that fill every field are dropped.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        required=True,
        label="I agree that CareGuide may publish this story after review. It is my own experience, "
        "and it names no other person.",
    )

    class Meta:
        model = Story
        fields = ["title", "body", "display_name", "age_range", "consent"]
        labels = {
            "title": "Title",
            "body": "Your story",
            "display_name": "Name to show (optional; leave empty to stay anonymous)",
            "age_range": "Your age range (optional)",
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
