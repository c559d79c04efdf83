from django import forms

from .models import DAILY, FREQUENCIES


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    frequency = forms.ChoiceField(
        label="How often do you want emails?",
        choices=FREQUENCIES,
        initial=DAILY,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often you want emails"},
    )


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(choices=FREQUENCIES, widget=forms.RadioSelect)
