"""The deck's facts: what load_facts needs besides Django's loaddata."""

from django.db.models import Count

from klik.models import Task
from klik.services import municipality_tasks_ensure
from portfolio.models import Event, Interface, Municipality, Project, SupportSystem
from portfolio.services import municipalities_load
from rollegalleri.models import Role

__all__ = ["catalogue_is_empty", "municipalities_load", "municipality_tasks_ensure_all"]

CATALOGUE_MODELS = (SupportSystem, Interface, Project, Event, Role, Task)


def catalogue_is_empty() -> bool:
    """True when no catalogue row exists, so the fixture's fixed keys collide with nothing."""
    return not any(model.objects.exists() for model in CATALOGUE_MODELS)


def municipality_tasks_ensure_all() -> int:
    """Give every municipality its copy of every task; returns how many copies were made."""
    # One counting query finds the tasks short of copies, so a start with national-scale data
    # does not ask once per task.
    municipalities = Municipality.objects.count()
    short = (
        Task.objects.annotate(copies=Count("municipality_tasks"))
        .filter(copies__lt=municipalities)
        .only("pk")
    )
    return sum(municipality_tasks_ensure(task=task) for task in short)
