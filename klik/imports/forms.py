"""The upload page's forms: the file, then the confirmation of its dry run."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.widgets import DkfdsMixin

SKIP_REFUSED_NEEDED = _(
    "Some rows were refused. Tick “Skip the refused rows” to import the rest, or correct the "
    "file and upload it again."
)


class ImportUploadForm(DkfdsMixin, forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("Nothing is written yet: you first see what the import would do."),
        widget=forms.FileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class ImportConfirmForm(DkfdsMixin, forms.Form):
    skip_refused = forms.BooleanField(
        label=_("Skip the refused rows and import the rest"),
        required=False,
    )

    def __init__(self, *args, refused=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused = refused

    def clean(self):
        cleaned = super().clean()
        if self.refused and not cleaned.get("skip_refused"):
            self.add_error("skip_refused", SKIP_REFUSED_NEEDED)
        return cleaned
