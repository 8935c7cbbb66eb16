"""Writes that carry KLIK's rules. Views, admin, commands and imports all call these."""

from datetime import timedelta
from itertools import islice

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from portfolio.models import Municipality

from .models import (
    Attachment,
    Escalation,
    ExportJob,
    MunicipalityTask,
    MunicipalityTaskChange,
    Task,
)
from .tasks import export_job_run
from .uploads import upload_check


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


@transaction.atomic
def tasks_publish(*, tasks: list[Task], interfaces: dict | None = None) -> list[Task]:
    """task_publish for many tasks at once, in bulk: save them, set their interfaces
    (`interfaces`: {index in tasks: [interface ids]}) and give every municipality its copy
    of each, all in one transaction. Each task must already have passed full_clean."""
    Task.objects.bulk_create(tasks, batch_size=1000)
    through = Task.interfaces.through
    links = [
        through(task_id=tasks[index].pk, interface_id=pk)
        for index, pks in (interfaces or {}).items()
        for pk in pks
    ]
    through.objects.bulk_create(links, batch_size=5000)
    municipalities = list(Municipality.objects.values_list("pk", flat=True))
    copies = (
        MunicipalityTask(task_id=task.pk, municipality_id=pk)
        for task in tasks
        for pk in municipalities
    )
    while batch := list(islice(copies, 5000)):
        MunicipalityTask.objects.bulk_create(batch)
    return tasks


def municipality_tasks_ensure(*, task: Task) -> int:
    """Create the missing municipality copies of a task; returns how many were made.

    A local task has one copy only, its own municipality's.
    """
    have = set(task.municipality_tasks.values_list("municipality_id", flat=True))
    if task.municipality_id:
        wanted = [task.municipality_id]
    else:
        wanted = Municipality.objects.values_list("pk", flat=True)
    missing = [MunicipalityTask(task=task, municipality_id=pk) for pk in wanted if pk not in have]
    MunicipalityTask.objects.bulk_create(missing, batch_size=500)
    return len(missing)


# --- Editing a municipality's task ----------------------------------------

EDITABLE_FIELDS = ("state", "responsible", "executor", "needs_help", "note")
CHANGE_PERMISSION = "klik.change_municipalitytask"
NOT_YOUR_MUNICIPALITY = _("Only users of the task's municipality can change it.")
STALE_VERSION = _(
    "Someone saved this task after you opened it, so your changes were not saved. "
    "The form keeps what you changed and shows the rest as it is now; check what changed "
    "below, then save again if your changes still apply."
)


class StaleVersionError(Exception):
    """The form was loaded before the task's latest save; `changes` lists what changed since."""

    def __init__(self, changes):
        super().__init__(str(STALE_VERSION))
        self.changes = changes


def _shown(task: MunicipalityTask, field: str) -> str:
    """A field's value as the page shows it, for the history."""
    value = getattr(task, field)
    if field == "state":
        return str(task.get_state_display())
    if field == "needs_help":
        return str(_("Yes") if value else _("No"))
    return "" if value is None else str(value)


def may_change(user, municipality_task: MunicipalityTask) -> bool:
    """Whether `user` may change the task: its municipality's users who may edit tasks (not
    readers), and superusers (the catalogue's admins, who reach tasks only through the Django
    admin)."""
    if user.is_superuser:
        return True
    return (
        bool(user.municipality_id)
        and user.municipality_id == municipality_task.municipality_id
        and user.has_perm(CHANGE_PERMISSION)
    )


def municipality_task_lock(
    *, municipality_task: MunicipalityTask, version: int
) -> MunicipalityTask:
    """The task's row, locked until the transaction ends, if `version` is still current.

    Raises StaleVersionError, with the changes since `version`, when someone saved in between.
    Call it inside a transaction.
    """
    task = MunicipalityTask.objects.select_for_update().get(pk=municipality_task.pk)
    if task.version != version:
        raise StaleVersionError(
            list(task.changes.filter(version__gt=version).select_related("changed_by__person"))
        )
    return task


def municipality_task_apply(
    *, task: MunicipalityTask, user, data: dict, now=None, exclude=None
) -> list[MunicipalityTaskChange]:
    """Set `data` on a task locked by the caller, check the task's rules (full_clean, less the
    fields in `exclude` that the caller has checked), and, if anything changed, bump its version
    and stamp who and when. Returns the history rows, unsaved; the caller saves both.

    The one edit rule of a municipality task, for a single save and a bulk save alike.
    """
    with translation.override(settings.LANGUAGE_CODE):
        before = {field: _shown(task, field) for field in EDITABLE_FIELDS}
        for field in EDITABLE_FIELDS:
            if field in data:
                setattr(task, field, data[field])
        # A caller that checked fields once for many rows (a bulk save) also skips the
        # uniqueness of task × municipality, which an edit never changes.
        whole = exclude is None
        task.full_clean(exclude=exclude, validate_unique=whole, validate_constraints=whole)
        after = {field: _shown(task, field) for field in EDITABLE_FIELDS}
    changed = [field for field in EDITABLE_FIELDS if before[field] != after[field]]
    if not changed:
        return []
    task.version += 1
    task.updated_at = now or timezone.now()
    task.updated_by = user
    return [
        MunicipalityTaskChange(
            municipality_task=task,
            changed_at=task.updated_at,
            changed_by=user,
            field=field,
            old_value=before[field],
            new_value=after[field],
            version=task.version,
        )
        for field in changed
    ]


@transaction.atomic
def municipality_task_update(
    *, municipality_task: MunicipalityTask, user, data: dict, version: int
) -> list[MunicipalityTaskChange]:
    """Apply `data` to the task if `version` is still current; returns the recorded changes.

    Raises PermissionDenied for users who may not change it (see may_change),
    StaleVersionError when someone saved in between, ValidationError when the values break
    the task's rules.
    """
    # A copy never changes municipality, so the caller's instance answers who may change it.
    if not may_change(user, municipality_task):
        raise PermissionDenied(NOT_YOUR_MUNICIPALITY)
    task = municipality_task_lock(municipality_task=municipality_task, version=version)
    changes = municipality_task_apply(task=task, user=user, data=data)
    if not changes:
        return []
    task.save()
    MunicipalityTaskChange.objects.bulk_create(changes)
    municipality_task.refresh_from_db()
    return changes


# --- Escalation marks ------------------------------------------------------

ESCALATE_NOT_LEADER = _("Only the municipality's programme leaders can mark a task as escalated.")
ALREADY_ESCALATED = _("The task is already marked as escalated.")
NOT_ESCALATED = _("The task is not marked as escalated.")


def may_escalate(user, municipality_task: MunicipalityTask) -> bool:
    """Whether `user` may mark the task as escalated: a programme leader of its municipality
    (the escalation party of the KLIK culture), or a superuser."""
    if user.is_superuser:
        return True
    return may_change(user, municipality_task) and any(
        group.name == settings.PROGRAMME_LEADER_GROUP for group in user.groups.all()
    )


@transaction.atomic
def municipality_task_escalate(
    *, municipality_task: MunicipalityTask, user, version: int, note: str = "", escalate=True
) -> MunicipalityTaskChange:
    """Mark the task as escalated with a short note (or, `escalate=False`, remove the mark) if
    `version` is still current; the mark enters the history and bumps the version.

    Raises PermissionDenied for anyone but the municipality's programme leaders,
    StaleVersionError when someone saved in between, ValidationError for a bad note or a mark
    that is already there (or already gone).
    """
    if not may_escalate(user, municipality_task):
        raise PermissionDenied(ESCALATE_NOT_LEADER)
    task = municipality_task_lock(municipality_task=municipality_task, version=version)
    current = Escalation.objects.filter(municipality_task=task).first()
    if escalate == (current is not None):
        raise ValidationError(ALREADY_ESCALATED if escalate else NOT_ESCALATED)
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        before = _escalation_shown(current)
        if escalate:
            mark = Escalation(
                municipality_task=task, escalated_at=now, escalated_by=user, note=note.strip()
            )
            mark.full_clean(validate_unique=False)
            mark.save()
        else:
            current.delete()
            mark = None
        after = _escalation_shown(mark)
    # The mark is the escalation party's, not work on the task: "last updated" (which the
    # dashboard's "Til eskalering" reads) stays, so the task stays listed there with its tag.
    task.version += 1
    task.save(update_fields=["version"])
    change = MunicipalityTaskChange.objects.create(
        municipality_task=task,
        changed_at=now,
        changed_by=user,
        field="escalation",
        old_value=before,
        new_value=after,
        version=task.version,
    )
    municipality_task.refresh_from_db()
    return change


def _escalation_shown(mark) -> str:
    """The mark as the history shows it: "Ja – <note>", "Ja" or "Nej"."""
    if mark is None:
        return str(_("No"))
    return f"{_('Yes')} – {mark.note}" if mark.note else str(_("Yes"))


# --- Large exports in the background --------------------------------------

EXPORT_KEPT_FOR = timedelta(days=1)


def export_jobs_prune() -> int:
    """Delete the export jobs past their day, and their files; returns how many."""
    expired = list(ExportJob.objects.expired())
    for job in expired:
        job.file.delete(save=False)
    ExportJob.objects.filter(pk__in=[job.pk for job in expired]).delete()
    return len(expired)


def export_job_enqueue(*, owner, query: str, link_base: str, rows: int):
    """Queue the export of `query` (the list's query string) for the worker; the file is kept
    for a day, for `owner` only. Expired jobs are pruned on the way."""
    export_jobs_prune()
    job = ExportJob(
        owner=owner,
        query=query,
        link_base=link_base,
        rows_total=rows,
        expires_at=timezone.now() + EXPORT_KEPT_FOR,
    )
    job.full_clean()
    job.save()
    # After commit, so the worker never looks for a job that is not saved yet.
    transaction.on_commit(lambda: export_job_run.enqueue(str(job.pk)))
    return job


# --- A municipality's local tasks -------------------------------------------

LOCAL_TASK_FIELDS = (
    "title",
    "description",
    "project",
    "support_system",
    "interfaces",
    "starts_on",
    "deadline",
    "roles",
)
NOT_LOCAL = _("Only a municipality's own local tasks can be changed or deleted here.")
CREATED = MunicipalityTaskChange.CREATED
DELETED = MunicipalityTaskChange.DELETED


def _record(*, municipality_task, user, field, old="", new="", at=None):
    """One history row for `municipality_task` (call inside the write's transaction)."""
    return MunicipalityTaskChange.objects.create(
        municipality_task=municipality_task,
        changed_at=at or timezone.now(),
        changed_by=user,
        field=field,
        old_value=old,
        new_value=new,
        version=municipality_task.version,
    )


def _task_shown(task: Task, field: str) -> str:
    """A local task's field as the page shows it, for the history."""
    if field in ("interfaces", "roles"):
        return ", ".join(sorted(str(item) for item in getattr(task, field).all()))
    value = getattr(task, field)
    return "" if value is None else str(value)


@transaction.atomic
def task_create_local(
    *,
    municipality: Municipality,
    user,
    title: str,
    description: str = "",
    project=None,
    support_system=None,
    interfaces=(),
    roles=(),
    starts_on=None,
    deadline=None,
    responsible=None,
    executor=None,
) -> MunicipalityTask:
    """Create a municipality's own task and its one copy; returns that copy.

    Raises PermissionDenied when `user` is not an editor of `municipality`, ValidationError
    when the values break the task's rules (dates, persons of another municipality).
    """
    if user.municipality_id != municipality.pk or not user.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied(NOT_YOUR_MUNICIPALITY)
    now = timezone.now()
    task = Task(
        title=title,
        description=description,
        project=project,
        support_system=support_system,
        kind=Task.Kind.PROGRAMME if project is None else Task.Kind.SOLUTION,
        published_on=timezone.localdate(),
        starts_on=starts_on,
        deadline=deadline,
        municipality=municipality,
    )
    task.full_clean()
    task.save()
    task.interfaces.set(interfaces)
    task.roles.set(roles)
    copy = MunicipalityTask(
        task=task,
        municipality=municipality,
        responsible=responsible,
        executor=executor,
        updated_at=now,
        updated_by=user,
    )
    copy.full_clean()
    copy.save()
    _record(municipality_task=copy, user=user, field=CREATED, new=title, at=now)
    return copy


def _check_local(user, municipality_task):
    if not municipality_task.task.is_local:
        raise PermissionDenied(NOT_LOCAL)
    if user.is_superuser or not may_change(user, municipality_task):
        raise PermissionDenied(NOT_YOUR_MUNICIPALITY)


@transaction.atomic
def task_update_local(
    *, municipality_task: MunicipalityTask, user, data: dict, version: int
) -> list[MunicipalityTaskChange]:
    """Apply `data` (LOCAL_TASK_FIELDS) to a local task if `version` is still current, with a
    history row for each changed field; returns those rows.

    Raises PermissionDenied, StaleVersionError or ValidationError as municipality_task_update.
    """
    _check_local(user, municipality_task)
    copy = municipality_task_lock(municipality_task=municipality_task, version=version)
    task = copy.task
    before = {field: _task_shown(task, field) for field in LOCAL_TASK_FIELDS}
    many = {}
    for field in LOCAL_TASK_FIELDS:
        if field not in data:
            continue
        if field in ("interfaces", "roles"):
            many[field] = list(data[field])
        else:
            setattr(task, field, data[field])
    task.full_clean()
    task.save()
    for field, items in many.items():
        getattr(task, field).set(items)
    after = {field: _task_shown(task, field) for field in LOCAL_TASK_FIELDS}
    changed = [field for field in LOCAL_TASK_FIELDS if before[field] != after[field]]
    if not changed:
        return []
    copy.version += 1
    copy.updated_at = timezone.now()
    copy.updated_by = user
    copy.save()
    rows = [
        _record(
            municipality_task=copy,
            user=user,
            field=field,
            old=before[field],
            new=after[field],
            at=copy.updated_at,
        )
        for field in changed
    ]
    municipality_task.refresh_from_db()
    return rows


@transaction.atomic
def task_delete_local(*, municipality_task: MunicipalityTask, user) -> None:
    """Delete a local task softly: every page leaves it out, its rows and history stay."""
    _check_local(user, municipality_task)
    copy = MunicipalityTask.objects.select_for_update().get(pk=municipality_task.pk)
    task = copy.task
    now = timezone.now()
    task.deleted_at = now
    task.deleted_by = user
    task.save(update_fields=["deleted_at", "deleted_by"])
    copy.version += 1
    copy.updated_at = now
    copy.updated_by = user
    copy.save(update_fields=["version", "updated_at", "updated_by"])
    _record(municipality_task=copy, user=user, field=DELETED, old=task.title, at=now)


# --- Attachments --------------------------------------------------------------

ATTACHMENT = MunicipalityTaskChange.ATTACHMENT
SHARED_ATTACHMENT = MunicipalityTaskChange.SHARED_ATTACHMENT
ATTACH_PERMISSION = "klik.add_attachment"
NOT_YOURS_TO_ATTACH = _("You cannot add or remove attachments on this task.")


def attachment_target(user, municipality_task: MunicipalityTask) -> str | None:
    """Where `user` attaches on this task's page: "task" (KOMBIT staff and admins, on KOMBIT's
    task for every municipality), "copy" (the municipality's editors, for it alone) or None."""
    if user.municipality_id:
        return "copy" if may_change(user, municipality_task) else None
    if user.is_kombit_staff and user.has_perm(ATTACH_PERMISSION):
        return None if municipality_task.task.is_local else "task"
    return None


def may_remove_attachment(user, attachment: Attachment) -> bool:
    """KOMBIT's attachments are removed by KOMBIT staff, a municipality's by its editors."""
    if attachment.is_shared:
        return (
            not user.municipality_id and user.is_kombit_staff and user.has_perm(ATTACH_PERMISSION)
        )
    return may_change(user, attachment.municipality_task) and not user.is_superuser


def _record_on_copies(*, copies, user, field, old="", new="", at):
    """One history row per copy: a shared attachment shows in every municipality's history."""
    MunicipalityTaskChange.objects.bulk_create(
        [
            MunicipalityTaskChange(
                municipality_task_id=pk,
                changed_at=at,
                changed_by=user,
                field=field,
                old_value=old,
                new_value=new,
                version=version,
            )
            for pk, version in copies.values_list("pk", "version")
        ],
        batch_size=500,
    )


def _history_field(attachment):
    # KOMBIT's attachments are public to KOMBIT staff; a municipality's own are not.
    return SHARED_ATTACHMENT if attachment.is_shared else ATTACHMENT


def _copies_for(attachment):
    if attachment.is_shared:
        return attachment.task.municipality_tasks.filter(task__deleted_at__isnull=True)
    return MunicipalityTask.objects.filter(pk=attachment.municipality_task_id)


@transaction.atomic
def attachment_add(*, user, municipality_task: MunicipalityTask, upload) -> Attachment:
    """Check `upload` (uploads.upload_check), store it under a random name and enter it in the
    history; KOMBIT staff attach to the task for every municipality, a municipality's editors
    to their copy. Raises PermissionDenied or ValidationError (nothing is stored then)."""
    target = attachment_target(user, municipality_task)
    if target is None:
        raise PermissionDenied(NOT_YOURS_TO_ATTACH)
    name, content_type = upload_check(upload)
    attachment = Attachment(
        task=municipality_task.task if target == "task" else None,
        municipality_task=municipality_task if target == "copy" else None,
        name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
    )
    attachment.file.save(name, upload, save=False)
    stored, storage = attachment.file.name, attachment.file.storage
    # The file is stored before the row; a row that fails must not leave the file behind.
    try:
        attachment.full_clean()
        attachment.save()
        _record_on_copies(
            copies=_copies_for(attachment),
            user=user,
            field=_history_field(attachment),
            new=name,
            at=attachment.uploaded_at,
        )
    except Exception:
        storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, user, attachment: Attachment) -> None:
    """Remove an attachment and its stored file; the history keeps its name."""
    if not may_remove_attachment(user, attachment):
        raise PermissionDenied(NOT_YOURS_TO_ATTACH)
    _record_on_copies(
        copies=_copies_for(attachment),
        user=user,
        field=_history_field(attachment),
        old=attachment.name,
        at=timezone.now(),
    )
    stored, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
