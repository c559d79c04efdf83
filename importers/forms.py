from django import forms

from .html_import import PAGE_TYPES


class ImportPageForm(forms.Form):
    page_type = forms.ChoiceField(
        label="Import as",
        choices=[(key, label.capitalize()) for key, (_m, _i, label) in PAGE_TYPES.items()],
        initial="case_study",
        widget=forms.RadioSelect,
    )
    url = forms.URLField(
        label="Web address",
        required=False,
        assume_scheme="https",
        max_length=1000,
        help_text="The page's address, starting http:// or https://.",
    )
    html_file = forms.FileField(
        label="Or an HTML file", required=False, help_text="A saved web page (.html or .htm)."
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("url")) == bool(data.get("html_file")) and not self.errors:
            raise forms.ValidationError("Give either a web address or an HTML file.")
        return data
