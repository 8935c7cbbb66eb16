"""The log-in form in Det Fælles Designsystem's markup."""

from django.contrib.auth.forms import AuthenticationForm

from .widgets import DkfdsMixin


class LoginForm(DkfdsMixin, AuthenticationForm):
    """Django's log-in form, its widgets carrying DKFDS classes like every other form."""
