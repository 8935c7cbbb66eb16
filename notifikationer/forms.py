from django import forms

from portfolio.widgets import DkfdsMixin

from .models import MailPreference


class PreferenceForm(DkfdsMixin, forms.ModelForm):
    """Which mails a user gets and on which weekday the digest comes."""

    class Meta:
        model = MailPreference
        fields = ["enabled", "tasks", "published", "digest", "digest_weekday", "national_digest"]

    def __init__(self, *args, kombit_staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not kombit_staff:
            del self.fields["national_digest"]
