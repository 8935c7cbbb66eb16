from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from .calendar import feed_calendar
from .forms import PreferenceForm
from .mails import absolute, read_unsubscribe_token
from .models import CalendarFeed, MailPreference, Topic
from .services import (
    calendar_feed_renew,
    calendar_feed_revoke,
    preference_unsubscribe,
    preference_update,
)

PREFERENCES_SAVED = gettext_lazy("Your mail preferences are saved.")
NO_EMAIL = gettext_lazy(
    "Your login has no e-mail address, so no mail can reach you. Ask your municipality's "
    "KLIK administrator to add one."
)
BAD_UNSUBSCRIBE_LINK = gettext_lazy(
    "This unsubscribe link is not valid. Use the link from the latest mail, or log in and "
    "change your choices on the Notifications page."
)
FEED_RENEWED = gettext_lazy("Your calendar has a new address. The old one no longer works.")
FEED_REVOKED = gettext_lazy("Your calendar address is closed. It no longer works.")


class PreferencesView(FormView):
    """`/notifikationer/`: which mails the user gets, the digest's weekday, the calendar."""

    template_name = "notifikationer/preferences.html"
    form_class = PreferenceForm

    def get_form_kwargs(self):
        user = self.request.user
        instance = None
        if user.email:
            found = MailPreference.objects.for_addresses([user.email])
            instance = found.get(user.email.lower()) or MailPreference(email=user.email.lower())
        return {
            **super().get_form_kwargs(),
            "instance": instance,
            "kombit_staff": user.is_kombit_staff,
        }

    def post(self, request, *args, **kwargs):
        if not request.user.email:
            messages.error(request, NO_EMAIL)
            return redirect("notifikationer:preferences")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        preference_update(email=self.request.user.email, data=form.cleaned_data)
        messages.success(self.request, PREFERENCES_SAVED)
        return redirect("notifikationer:preferences")

    def get_context_data(self, **kwargs):
        feed = CalendarFeed.objects.filter(user=self.request.user).first()
        return super().get_context_data(
            has_email=bool(self.request.user.email),
            feed_url=absolute(feed.get_absolute_url()) if feed else "",
            **kwargs,
        )


@require_POST
def calendar_manage(request):
    """Make a new calendar address (revoking the old one) or close the calendar."""
    if request.POST.get("action") == "revoke":
        calendar_feed_revoke(user=request.user)
        messages.success(request, FEED_REVOKED)
    else:
        calendar_feed_renew(user=request.user)
        messages.success(request, FEED_RENEWED)
    return redirect("notifikationer:preferences")


# The link works without a login, and mail programs post to it (RFC 8058 one-click), which
# carries no CSRF token; the signed token is what proves the right to unsubscribe.
@login_not_required
@csrf_exempt
def unsubscribe(request, token):
    """GET shows one button, so link scanners that open links change nothing; POST (the
    button, or the mail program's List-Unsubscribe-Post) turns the mail off."""
    try:
        email, topics = read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(
            request,
            "notifikationer/unsubscribe.html",
            {"error": BAD_UNSUBSCRIBE_LINK},
            status=400,
        )
    labels = [Topic(t).label for t in topics]
    if request.method == "POST":
        preference_unsubscribe(email=email, topics=topics)
        return render(request, "notifikationer/unsubscribe.html", {"done": True, "labels": labels})
    return render(request, "notifikationer/unsubscribe.html", {"email": email, "labels": labels})


@login_not_required
def calendar(request, token):
    """`/kalender/<token>.ics`: the feed of the token's user; no session needed. An unknown
    or revoked token, or an inactive user, answers 404."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    body = feed_calendar(feed.user).to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="klik-kalender.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
