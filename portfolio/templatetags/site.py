"""Site-wide template tags; they read settings, so they work on error pages without context."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def accessibility_statement_url():
    """The operator's "Tilgængelighedserklæring" (ACCESSIBILITY_STATEMENT_URL)."""
    return settings.ACCESSIBILITY_STATEMENT_URL
