"""Saved filters of the KLIK list ("Gem filter", "Mine filtre"): a name and a query string."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from portfolio.widgets import DkfdsMixin

from .models import SavedFilter

NOT_YOURS = _("Only the one who saved a filter can change it.")
MAY_NOT_SHARE = _("Only programme leaders and KOMBIT staff can share a filter.")
# Parameters that belong to one visit, not to the filter.
NOT_SAVED = ("page",)


def may_share(user) -> bool:
    """Programme leaders share with their municipality, KOMBIT staff with KOMBIT staff."""
    if user.is_kombit_staff:
        return True
    return bool(user.municipality_id) and any(
        group.name == settings.PROGRAMME_LEADER_GROUP for group in user.groups.all()
    )


def saved_query(query: str) -> str:
    """The list's query string as it is saved: without a leading "?", the page number and
    empty parameters (an unused field of the filter form)."""
    params = QueryDict(query.lstrip("?"))
    kept = QueryDict(mutable=True)
    for name in params:
        values = [value for value in params.getlist(name) if value]
        if values and name not in NOT_SAVED:
            kept.setlist(name, values)
    return kept.urlencode()


def saved_filter_create(*, owner, name: str, query: str, shared: bool = False) -> SavedFilter:
    """Save `query` under `name` for `owner`, shared with their municipality (or with KOMBIT
    staff) when `shared` and they may share."""
    if shared and not may_share(owner):
        raise PermissionDenied(MAY_NOT_SHARE)
    saved = SavedFilter(
        owner=owner,
        municipality_id=owner.municipality_id,
        name=name,
        query=saved_query(query),
        shared=shared,
    )
    saved.full_clean()
    saved.save()
    return saved


def saved_filter_update(*, saved_filter: SavedFilter, user, name: str, shared: bool):
    """Rename a saved filter or change whether it is shared; only its owner may."""
    if saved_filter.owner_id != user.pk:
        raise PermissionDenied(NOT_YOURS)
    if shared and not may_share(user):
        raise PermissionDenied(MAY_NOT_SHARE)
    saved_filter.name, saved_filter.shared = name, shared
    saved_filter.full_clean()
    saved_filter.save()
    return saved_filter


def saved_filter_delete(*, saved_filter: SavedFilter, user) -> None:
    """Delete a saved filter; only its owner may."""
    if saved_filter.owner_id != user.pk:
        raise PermissionDenied(NOT_YOURS)
    saved_filter.delete()


class SavedFilterForm(DkfdsMixin, forms.ModelForm):
    """Name a filter and, for those who may, share it."""

    class Meta:
        model = SavedFilter
        fields = ["name", "shared", "query"]
        widgets = {"query": forms.HiddenInput}
        labels = {"name": _("Name of the filter")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["query"]  # a saved filter keeps its query; only the name changes
        else:
            self.fields["query"].required = False
        shared = self.fields["shared"]
        if may_share(user):
            shared.label = (
                _("Share with KOMBIT staff")
                if user.is_kombit_staff
                else _("Share with the municipality")
            )
        else:
            del self.fields["shared"]
