from django import forms

MAX_PROBLEM_LENGTH = 1200


class UsefulForm(forms.Form):
    page = forms.CharField(max_length=2000)
    answer = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")])


class ProblemForm(forms.Form):
    page = forms.CharField(max_length=2000, widget=forms.HiddenInput)
    problem = forms.CharField(
        label="What went wrong?",
        max_length=MAX_PROBLEM_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Describe the problem with this page",
            "max_length": f"Describe the problem in {MAX_PROBLEM_LENGTH:,} characters or fewer",
        },
    )
