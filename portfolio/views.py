from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from klik.models import Colour, MunicipalityTask
from rollegalleri.models import ProjectRole


class DashboardView(TemplateView):
    """The user's front page: KLIK colour counts for their municipality (or the nation)."""

    template_name = "portfolio/dashboard.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        counts = (
            MunicipalityTask.objects.visible_to(self.request.user)
            .with_colour(today)
            .colour_counts()
        )
        colours = [(Colour(c), counts[c]) for c in Colour.values]
        municipality = self.request.user.municipality
        unstaffed = (
            ProjectRole.objects.unstaffed_for(municipality).count() if municipality else None
        )
        return super().get_context_data(
            today=today, colours=colours, unstaffed_count=unstaffed, **kwargs
        )


@login_not_required
@never_cache
def healthz(request):
    """200 "ok" when the database answers, 503 otherwise. No login, no session."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
