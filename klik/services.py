"""Writes that carry KLIK's rules. Views, admin, commands and imports all call these."""

from django.db import transaction

from portfolio.models import Municipality

from .models import MunicipalityTask, Task


@transaction.atomic
def task_publish(*, task: Task, interfaces=(), roles=()) -> Task:
    """Save a KLIK task and give every municipality its copy, all in one transaction."""
    task.full_clean()
    task.save()
    if interfaces:
        task.interfaces.set(interfaces)
    if roles:
        task.roles.set(roles)
    municipality_tasks_ensure(task=task)
    return task


def municipality_tasks_ensure(*, task: Task) -> int:
    """Create the missing municipality copies of a task; returns how many were made."""
    have = set(task.municipality_tasks.values_list("municipality_id", flat=True))
    missing = [
        MunicipalityTask(task=task, municipality_id=pk)
        for pk in Municipality.objects.values_list("pk", flat=True)
        if pk not in have
    ]
    MunicipalityTask.objects.bulk_create(missing, batch_size=500)
    return len(missing)
