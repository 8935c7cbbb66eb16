"""Municipality scoping: the one rule for which rows a user may see."""


def scope_by_municipality(queryset, user, path):
    """Rows of the user's municipality; all rows for KOMBIT staff; none otherwise.

    `path` is the lookup from the queryset's model to the municipality id, e.g.
    "municipality_id" or "person__municipality_id".
    """
    if not user.is_authenticated:
        return queryset.none()
    if user.municipality_id:
        return queryset.filter(**{path: user.municipality_id})
    if user.is_kombit_staff:
        return queryset
    return queryset.none()
