"""The admin site: KOMBIT's staff only, and no 500 for input Django's admin does not check."""

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import BadRequest, ValidationError
from django.db import connection
from django.utils.translation import gettext_lazy as _

NUL_IN_QUERY = _("The address contains a character that is not allowed.")


class NulSafeAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete searches with the raw term, unlike the changelist's validated
    search form; PostgreSQL refuses a NUL byte in a query, so such a term finds nothing."""

    def get_queryset(self):
        if "\x00" in self.term:
            return self.model_admin.get_queryset(self.request).none()
        return super().get_queryset()


def is_key(field, value):
    """True when `value` could be a value of `field` in the database (a tampered autocomplete
    id such as "\\x00" or 10**20 would fail in SQL instead of finding nothing)."""
    try:
        python = field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    if isinstance(python, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (low is None or python >= low) and (high is None or python <= high)
    return "\x00" not in str(python)


class KeyCheckingMixin:
    """Re-rendering a refused form shows only submitted ids that can exist."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [v for v in value if is_key(target, v)], attr)


class SafeAutocompleteSelect(KeyCheckingMixin, widgets.AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(KeyCheckingMixin, widgets.AutocompleteSelectMultiple):
    pass


class SafeAutocompleteAdmin:
    """Mixed into every registered ModelAdmin by the site: autocompletes use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            db = kwargs.get("using")
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=db)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            db = kwargs.get("using")
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=db)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class KombitAdminSite(admin.AdminSite):
    """Staff without a municipality only: KOMBIT's catalogue editors and read-only viewers.
    A municipal user never reaches the admin, whatever flags their login carries."""

    site_header = _("KOMBIT programme leader – administration")
    site_title = _("KOMBIT programme leader – administration")
    index_title = _("Administration")

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_staff and not user.municipality_id

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def checked(request, *args, **kwargs):
            # PostgreSQL refuses NUL in a query; the changelist's filters pass it on unchecked.
            # (The autocomplete view checks its own search term.)
            params = request.GET.items()
            if view != self.autocomplete_view and any("\x00" in k + v for k, v in params):
                raise BadRequest(NUL_IN_QUERY)
            return inner(request, *args, **kwargs)

        return checked

    def autocomplete_view(self, request):
        return NulSafeAutocompleteJsonView.as_view(admin_site=self)(request)

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = safe_autocompletes(admin_class or admin.ModelAdmin)
        admin_class.inlines = [safe_autocompletes(inline) for inline in admin_class.inlines]
        super().register(model_or_iterable, admin_class, **options)


def safe_autocompletes(admin_class):
    """`admin_class` with SafeAutocompleteAdmin mixed in (a subclass; the original is kept)."""
    if issubclass(admin_class, SafeAutocompleteAdmin):
        return admin_class
    return type(admin_class.__name__, (SafeAutocompleteAdmin, admin_class), {})
