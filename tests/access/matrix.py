"""The access matrix's data: every URL pattern of the site, who gets what, and the real objects
that fill each pattern's parameters. Shared by the access test and the accessibility sweep.

To add a page: one row in ROWS under its URL name, with the statuses for GET and POST per role
and, if its path has parameters, a function from `Objects` to them.
"""

import fnmatch
import re
from dataclasses import dataclass, field
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from klik.models import ExportJob, MunicipalityTaskChange, PendingImport
from klik.saved_filters import saved_filter_create
from klik.services import attachment_add, task_create_local
from notifikationer.mails import unsubscribe_token
from notifikationer.models import CalendarFeed, ColourCount, MailPreference, OutgoingMail
from portfolio.groups import VIEW_ALL
from portfolio.models import Material, Project
from tests.factories import (
    EventFactory,
    InterfaceUsageFactory,
    KlikAdministratorFactory,
    KombitStaffFactory,
    PersonFactory,
    ProgrammeLeaderFactory,
    ProjectLeaderFactory,
    ProjectRoleFactory,
    ReaderFactory,
    RoleAssignmentFactory,
    UserFactory,
    municipality_task,
)

# Who asks, in the order of each row's statuses: anonymous, the demo superuser, KOMBIT staff,
# Næstved's programme leader (whose municipality owns the objects) and Hørsholm's. Then
# Næstved's other roles (issue 15): its KLIK-administrator (a programme leader who also manages
# the municipality's logins on /brugere/), a project leader (edits tasks, not persons) and a
# reader (only reads). A row's five statuses hold for these as for Næstved's programme leader,
# unless its `more` says otherwise.
ROLES = ("anonymous", "admin", "kombit", "leader", "other", "klikadmin", "projectleader", "reader")
BASE_ROLES = ROLES[:5]
NAESTVED_ROLES = ROLES[5:]

# Status shorthands for admin pages: V = KOMBIT staff may view this model (200) or not (403).
V = "view"


AXES_MODELS = ("accessattempt", "accesslog", "accessfailurelog")


@dataclass(frozen=True)
class Row:
    get: tuple
    post: tuple
    params: object = None  # Objects -> kwargs for reverse(), for patterns with parameters
    page: bool = False  # an HTML page of ours for the accessibility sweep
    # {role of NAESTVED_ROLES: (GET, POST)} where that role is not answered as the leader is
    more: dict = field(default_factory=dict)


@dataclass
class Objects:
    """One real object of each kind, Næstved's where it belongs to a municipality."""

    naestved: object
    hoersholm: object
    mt: object
    person: object
    assignment: object
    usage: object
    event: object
    role: object
    users: dict = field(default_factory=dict)
    saved_filter: object = None
    pending_import: object = None
    feed: object = None  # Næstved's leader's calendar feed
    export_job: object = None
    local_mt: object = None  # Næstved's own local task (issue 15)
    attachment: object = None  # Næstved's own attachment on its copy of a KOMBIT task


def objects_make(naestved, hoersholm):
    usage = InterfaceUsageFactory()
    system, project = usage.interface.support_system, usage.project
    Material.objects.create(support_system=system, title="Vejledning", url="https://x.dk/v")
    event = EventFactory(project=project, support_system=system)
    project_role = ProjectRoleFactory(project=project)
    person = PersonFactory(municipality=naestved, name="Ida Holm")
    assignment = RoleAssignmentFactory(person=person, role=project_role.role, project=project)
    mt = municipality_task(naestved, project=project, support_system=system)
    mt.responsible = person
    mt.save()
    municipality_task(hoersholm, project=project)
    users = {
        "admin": UserFactory(username="admin", municipality=None, is_staff=True, is_superuser=True),
        "kombit": KombitStaffFactory(username="kombit", is_staff=True),
        "leader": ProgrammeLeaderFactory(username="naestved", municipality=naestved),
        "other": ProgrammeLeaderFactory(username="hoersholm", municipality=hoersholm),
        "klikadmin": KlikAdministratorFactory(username="naestved-admin", municipality=naestved),
        "projectleader": ProjectLeaderFactory(username="naestved-pl", municipality=naestved),
        "reader": ReaderFactory(username="naestved-reader", municipality=naestved),
    }
    MunicipalityTaskChange.objects.create(
        municipality_task=mt, changed_by=users["leader"], field="state", new_value="done"
    )
    AccessAttempt.objects.create(username="x", ip_address="127.0.0.1", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="127.0.0.1")
    AccessFailureLog.objects.create(
        username="x", ip_address="127.0.0.1", attempt_time=timezone.now()
    )
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="klik.tasks.example",
        backend_name="default",
        run_after=timezone.now(),
    )
    saved = saved_filter_create(owner=users["leader"], name="Røde opgaver", query="status=red")
    MailPreference.objects.create(email=person.email)
    OutgoingMail.objects.create(
        recipient=person.email,
        municipality=naestved,
        topic="tasks",
        subject="KLIK – Næstved: 1 opgave til dig",
        body_text="Kære Ida",
        body_html="<p>Kære Ida</p>",
        unsubscribe_url="https://kombitpl.example.org/notifikationer/afmeld/x/",
    )
    ColourCount.objects.create(
        day=timezone.localdate(), municipality=naestved, project=project, red=1
    )
    local_mt = task_create_local(
        municipality=naestved, user=users["leader"], title="Næstveds egen opgave"
    )
    return Objects(
        naestved,
        hoersholm,
        mt,
        person,
        assignment,
        usage,
        event,
        project_role.role,
        users,
        saved_filter=saved,
        pending_import=pending_import_make(users["leader"]),
        export_job=export_job_make(users["leader"]),
        feed=CalendarFeed.objects.create(user=users["leader"]),
        local_mt=local_mt,
        attachment=attachment_add(
            user=users["leader"],
            municipality_task=mt,
            upload=SimpleUploadedFile("noter.txt", b"Noter til opgaven\n", "text/plain"),
        ),
    )


def pending_import_make(user):
    """`user`'s unconfirmed upload, made as the page makes it: their own export sent back."""
    client = Client()
    client.force_login(user)
    data = b"".join(client.get(reverse("klik:export")).streaming_content)
    upload = SimpleUploadedFile("klik.xlsx", data, content_type=XLSX)
    client.post(reverse("klik:import"), {"file": upload})
    return PendingImport.objects.get(owner=user)


def export_job_make(user):
    """`user`'s finished background export, its file written as the worker writes it."""
    job = ExportJob.objects.create(
        owner=user,
        query="status=red",
        link_base="http://testserver/klik/",
        rows_total=1,
        status=ExportJob.Status.DONE,
        expires_at=timezone.now() + timedelta(days=1),
    )
    job.file.save("klik-opgaver.xlsx", ContentFile(b"PK"), save=True)
    return job


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def admin_object(route, objects):
    """The pk of the first object of the model an admin route names (".../<app>/<model>/...")."""
    app_label, model_name = route.split("/")[1:3]
    model = apps.get_model(app_label, model_name)
    return {"object_id": str(model._default_manager.order_by("pk").first().pk)}


def kombit_may_view(route):
    app_label, model_name = route.split("/")[1:3]
    return (app_label, model_name) in VIEW_ALL


# Næstved's other roles where they differ from its programme leader (issue 15).
# Persons and assignments are the programme leader's to manage: not the project leader's, nor
# the reader's.
MANAGES_NO_PERSONS = {"projectleader": (403, 403), "reader": (403, 403)}


def reader_refused(get=403, post=403, **others):
    """A write the reader is refused (their other roles as the programme leader)."""
    return {"reader": (get, post), **others}


# The leader's own saved filter and upload: nobody else of the municipality finds them.
OWNER_ONLY = {"klikadmin": (404, 404), "projectleader": (404, 404), "reader": (404, 404)}

# fmt: off
# GET and POST statuses in ROLES order: anonymous, admin, kombit, leader, other.
ROWS = {
    "healthz": Row((200, 200, 200, 200, 200), (200, 200, 200, 200, 200)),
    "login": Row((200, 200, 200, 200, 200), (200, 200, 200, 200, 200), page=True),
    # The password-set link /brugere/ e-mails (Django's password reset), for anyone holding it;
    # a wrong token shows the page saying the link is no longer valid (200).
    "password_reset_confirm": Row(
        (200, 200, 200, 200, 200), (200, 200, 200, 200, 200),
        lambda o: {"uidb64": "MQ", "token": "ikke-gyldig"}, page=True),
    "password_reset_complete": Row(
        (200, 200, 200, 200, 200), (405, 405, 405, 405, 405), page=True),
    "logout": Row((302, 405, 405, 405, 405), (302, 302, 302, 302, 302)),
    # Our pages.
    "overblik:dashboard": Row((302, 200, 200, 200, 200), (302, 405, 405, 405, 405), page=True),
    "overblik:overview": Row((302, 200, 200, 200, 200), (302, 405, 405, 405, 405), page=True),
    "overblik:support_system_detail": Row(
        (302, 200, 200, 200, 200), (302, 405, 405, 405, 405),
        lambda o: {"slug": o.usage.interface.support_system.slug}, page=True),
    "overblik:project_detail": Row(
        (302, 200, 200, 200, 200), (302, 405, 405, 405, 405),
        lambda o: {"slug": o.usage.project.slug}, page=True),
    "overblik:interface_list": Row((302, 200, 200, 200, 200), (302, 405, 405, 405, 405), page=True),
    "overblik:interface_detail": Row(
        (302, 200, 200, 200, 200), (302, 405, 405, 405, 405),
        lambda o: {"code": o.usage.interface.code}, page=True),
    "overblik:event_list": Row((302, 200, 200, 200, 200), (302, 405, 405, 405, 405), page=True),
    # A read-only function view: POST reads it too.
    "overblik:event_ics": Row(
        (302, 200, 200, 200, 200), (302, 200, 200, 200, 200), lambda o: {"pk": o.event.pk}),
    "klik:list": Row((302, 200, 200, 200, 200), (302, 405, 405, 405, 405), page=True),
    "klik:export": Row((302, 200, 200, 200, 200), (302, 405, 405, 405, 405)),
    # Næstved's leader's background export: its page and file are its owner's only.
    "klik:export_job": Row(
        (302, 404, 404, 200, 404), (302, 405, 405, 405, 405),
        lambda o: {"pk": o.export_job.pk}, page=True,
        more={name: (404, 405) for name in OWNER_ONLY}),
    "klik:export_job_file": Row(
        (302, 404, 404, 200, 404), (302, 405, 405, 405, 405),
        lambda o: {"pk": o.export_job.pk},
        more={name: (404, 405) for name in OWNER_ONLY}),
    # Næstved's task: KOMBIT staff read it, Næstved and the admin save it (services.may_change,
    # so an empty POST is the form again with its errors), Hørsholm never finds it.
    "klik:detail": Row(
        (302, 200, 200, 200, 404), (302, 200, 403, 200, 404),
        lambda o: {"pk": o.mt.pk}, page=True,
        more=reader_refused(get=200)),
    # POST only. An empty form is refused with a message back on the page it came from (302);
    # Hørsholm never finds Næstved's task. Who may mark is the service's rule, tested in
    # tests/klik/test_escalation.py.
    "klik:escalate": Row(
        (302, 405, 405, 405, 405), (302, 302, 302, 302, 404), lambda o: {"pk": o.mt.pk}),
    # POST only. Users without a municipality have no tasks to assign (403); a municipality's
    # users get the refused empty selection back on the list (302).
    "klik:bulk": Row((302, 405, 405, 405, 405), (302, 403, 403, 302, 302),
        more=reader_refused(get=405)),
    # POST only: "Gem filter" for anyone signed in; an empty name goes back to the list (302).
    "klik:saved_filter_create": Row((302, 405, 405, 405, 405), (302, 302, 302, 302, 302)),
    # Næstved's leader's own saved filter: only its owner finds it, even the admin does not.
    # An empty POST is the form again with its errors (200).
    "klik:saved_filter": Row(
        (302, 404, 404, 200, 404), (302, 404, 404, 200, 404),
        lambda o: {"pk": o.saved_filter.pk}, page=True,
        more=OWNER_ONLY),
    # The upload: a municipality's users import their own tasks, KOMBIT staff and the admin the
    # catalogue; an empty POST is the form again with its error (200).
    "klik:import": Row((302, 200, 200, 200, 200), (302, 200, 200, 200, 200), page=True,
        more=reader_refused()),
    # Næstved's leader's pending upload: its owner's only. An empty POST confirms it (nothing
    # was refused) and returns to the report (302).
    "klik:import_detail": Row(
        (302, 404, 404, 200, 404), (302, 404, 404, 302, 404),
        lambda o: {"pk": o.pending_import.pk}, page=True,
        more={**OWNER_ONLY, "reader": (403, 403)}),
    # Anyone signed in chooses their own mail. The matrix's logins have no address, so a POST
    # is told why and sent back to the page (302).
    "notifikationer:preferences": Row(
        (302, 200, 200, 200, 200), (302, 302, 302, 302, 302), page=True),
    # POST only: a new calendar address for the one who asks.
    "notifikationer:calendar_manage": Row((302, 405, 405, 405, 405), (302, 302, 302, 302, 302)),
    # No login: the signed token is the right to unsubscribe. GET shows the button, POST (the
    # button or the mail program's one-click) turns the mail off.
    "notifikationer:unsubscribe": Row(
        (200, 200, 200, 200, 200), (200, 200, 200, 200, 200),
        lambda o: {"token": unsubscribe_token(o.person.email, ["tasks"])}, page=True),
    # No session: the secret token is the feed's only key, whoever holds it. Read-only, so
    # POST reads it too.
    "notifikationer:calendar": Row(
        (200, 200, 200, 200, 200), (200, 200, 200, 200, 200), lambda o: {"token": o.feed.token}),
    # Issue 15: a municipality's editors create local tasks (users without a municipality:
    # 403); an empty POST is the form again with its errors (200).
    "klik:local_create": Row(
        (302, 403, 403, 200, 200), (302, 403, 403, 200, 200), page=True,
        more=reader_refused()),
    # Næstved's local task: only Næstved finds it, KOMBIT staff and the admin not even that it
    # exists (404). An empty POST is the form again with its errors (200).
    "klik:local_update": Row(
        (302, 404, 404, 200, 404), (302, 404, 404, 200, 404),
        lambda o: {"pk": o.local_mt.pk}, page=True,
        more=reader_refused()),
    # The confirmation page; POST deletes (softly) and returns to the list (302).
    "klik:local_delete": Row(
        (302, 404, 404, 200, 404), (302, 404, 404, 302, 404),
        lambda o: {"pk": o.local_mt.pk}, page=True,
        more=reader_refused()),
    # POST only: KOMBIT staff attach to KOMBIT's task, Næstved to its copy; an empty POST is
    # refused with a message back on the task page (302); the admin attaches as KOMBIT staff
    # do. Hørsholm never finds Næstved's copy.
    "klik:attachment_add": Row(
        (302, 405, 405, 405, 405), (302, 302, 302, 302, 404), lambda o: {"pk": o.mt.pk},
        more=reader_refused(get=405)),
    # Næstved's own attachment: a download for Næstved only, a 404 for everyone else.
    "klik:attachment": Row(
        (302, 404, 404, 200, 404), (302, 404, 404, 200, 404),
        lambda o: {"pk": o.attachment.pk}),
    # POST only: Næstved removes its own attachment and is sent back (302).
    "klik:attachment_remove": Row(
        (302, 405, 405, 405, 405), (302, 404, 404, 302, 404),
        lambda o: {"pk": o.attachment.pk},
        more=reader_refused(get=405)),
    # "Gem som PDF": whoever sees the task page gets its PDF; read only (POST 405).
    "klik:pdf": Row(
        (302, 200, 200, 200, 404), (302, 405, 405, 405, 405), lambda o: {"pk": o.mt.pk}),
    # The user administration (issue 15): a municipality's KLIK-administrator only, over its own
    # logins (Næstved's programme leader here); 403 for everyone else. Empty POSTs are the form
    # again with its errors (200); the list and the link are read / POST only (405).
    "brugere:list": Row(
        (302, 403, 403, 403, 403), (302, 403, 403, 403, 403), page=True,
        more={"klikadmin": (200, 405), "projectleader": (403, 403), "reader": (403, 403)}),
    "brugere:create": Row(
        (302, 403, 403, 403, 403), (302, 403, 403, 403, 403), page=True,
        more={"klikadmin": (200, 200), "projectleader": (403, 403), "reader": (403, 403)}),
    "brugere:update": Row(
        (302, 403, 403, 403, 403), (302, 403, 403, 403, 403),
        lambda o: {"pk": o.users["leader"].pk}, page=True,
        more={"klikadmin": (200, 200), "projectleader": (403, 403), "reader": (403, 403)}),
    "brugere:password_link": Row(
        (302, 403, 403, 403, 403), (302, 403, 403, 403, 403),
        lambda o: {"pk": o.users["leader"].pk},
        more={"klikadmin": (405, 302), "projectleader": (403, 403), "reader": (403, 403)}),
    "rollegalleri:list": Row((302, 200, 200, 200, 200), (302, 405, 405, 405, 405), page=True),
    "rollegalleri:detail": Row(
        (302, 200, 200, 200, 200), (302, 405, 405, 405, 405),
        lambda o: {"slug": o.role.slug}, page=True),
    "rollegalleri:staffing": Row((302, 200, 200, 200, 200), (302, 405, 405, 405, 405), page=True),
    "rollegalleri:staffing_export": Row(
        (302, 200, 200, 200, 200), (302, 405, 405, 405, 405)),
    "rollegalleri:person_list": Row(
        (302, 200, 200, 200, 200), (302, 405, 405, 405, 405), page=True),
    "rollegalleri:person_create": Row(
        (302, 403, 403, 200, 200), (302, 403, 403, 200, 200), page=True,
        more=MANAGES_NO_PERSONS),
    "rollegalleri:person_detail": Row(
        (302, 200, 200, 200, 404), (302, 405, 405, 405, 405),
        lambda o: {"pk": o.person.pk}, page=True),
    "rollegalleri:person_update": Row(
        (302, 403, 403, 200, 404), (302, 403, 403, 200, 404),
        lambda o: {"pk": o.person.pk}, page=True,
        more=MANAGES_NO_PERSONS),
    "rollegalleri:person_retire": Row(
        (302, 403, 403, 200, 404), (302, 403, 403, 302, 404),
        lambda o: {"pk": o.person.pk}, page=True,
        more=MANAGES_NO_PERSONS),
    "rollegalleri:assignment_create": Row(
        (302, 403, 403, 200, 404), (302, 403, 403, 200, 404),
        lambda o: {"pk": o.person.pk}, page=True,
        more=MANAGES_NO_PERSONS),
    "rollegalleri:assignment_end": Row(
        (302, 403, 403, 200, 404), (302, 403, 403, 302, 404),
        lambda o: {"pk": o.assignment.pk}, page=True,
        more=MANAGES_NO_PERSONS),
    # Django admin: staff without a municipality only; municipal users are sent to its login.
    "admin:index": Row((302, 200, 200, 302, 302), (302, 200, 200, 302, 302)),
    "admin:login": Row((200, 302, 302, 200, 200), (200, 200, 200, 200, 200)),
    "admin:logout": Row((302, 405, 405, 302, 302), (302, 302, 302, 302, 302)),
    "admin:password_change": Row((302, 200, 200, 302, 302), (302, 200, 200, 302, 302)),
    "admin:password_change_done": Row((302, 200, 200, 302, 302), (302, 405, 405, 302, 302)),
    "admin:autocomplete": Row((302, 403, 403, 302, 302), (302, 405, 405, 302, 302)),
    "admin:jsi18n": Row((302, 200, 200, 302, 302), (302, 405, 405, 302, 302)),
    "admin:view_on_site": Row(
        (302, 302, 302, 302, 302), (302, 302, 302, 302, 302),
        lambda o: {"content_type_id": ContentType.objects.get_for_model(Project).pk,
                   "object_id": o.usage.project.pk}),
    "admin:app_list": Row(
        (302, 200, 200, 302, 302), (302, 200, 200, 302, 302), lambda o: {"app_label": "klik"}),
    "admin:auth_user_password_change": Row(
        (302, 200, 403, 302, 302), (302, 200, 403, 302, 302),
        lambda o: {"id": o.users["leader"].pk}),
    "admin:*_changelist": Row((302, 200, V, 302, 302), (302, 200, V, 302, 302)),
    "admin:*_add": Row((302, 200, 403, 302, 302), (302, 200, 403, 302, 302)),
    "admin:*_change": Row((302, 200, V, 302, 302), (302, 200, 403, 302, 302), admin_object),
    "admin:*_delete": Row((302, 200, 403, 302, 302), (302, 200, 403, 302, 302), admin_object),
    "admin:*_history": Row((302, 200, V, 302, 302), (302, 200, V, 302, 302), admin_object),
    # Unnamed: an object's bare admin path redirects to its change page; anything else is 404.
    "admin/*/*/<path:object_id>/": Row(
        (302, 302, 302, 302, 302), (302, 302, 302, 302, 302), admin_object),
    "admin/(?P<url>.*)$": Row(
        (302, 404, 404, 302, 302), (302, 404, 404, 302, 302), lambda o: {"url": "nope/"}),
}
# Admin pages that differ from their family's row, as (GET, POST): records nobody writes by
# hand. The task history, the job queue, sent mail and calendar tokens are read-only even for the
# superuser; django-axes' login records can be read and deleted, and a save of one changes nothing
# and redirects.
EXCEPTIONS = {
    ("admin:klik_municipalitytaskchange_add", "admin"): (403, 403),
    ("admin:klik_municipalitytaskchange_change", "admin"): (200, 403),
    ("admin:klik_municipalitytaskchange_delete", "admin"): (403, 403),
    ("admin:django_tasks_database_dbtaskresult_add", "admin"): (403, 403),
    ("admin:django_tasks_database_dbtaskresult_change", "admin"): (200, 403),
    ("admin:django_tasks_database_dbtaskresult_delete", "admin"): (403, 403),
    ("admin:notifikationer_outgoingmail_add", "admin"): (403, 403),
    ("admin:notifikationer_calendarfeed_add", "admin"): (403, 403),
    # A feed's fields are all read-only: a save changes nothing and redirects.
    ("admin:notifikationer_calendarfeed_change", "admin"): (200, 302),
    **{(f"admin:axes_{m}_add", "admin"): (403, 403) for m in AXES_MODELS},
    **{(f"admin:axes_{m}_change", "admin"): (200, 302) for m in AXES_MODELS},
}
# fmt: on


@dataclass(frozen=True)
class Pattern:
    name: str  # namespaced URL name, or for an unnamed pattern its route
    route: str
    key: str  # the ROWS key that covers it


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from walk(pattern.url_patterns, route, ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, route


def row_key(name, route):
    """The ROWS key covering a pattern: its URL name, else a wildcard row matching its name
    or (for an unnamed pattern) its route; None when the table has no row for it."""
    if name in ROWS:
        return name
    for key in ROWS:
        if "*" in key and fnmatch.fnmatchcase(name or route, key):
            return key
    return route if route in ROWS else None


def all_patterns():
    """Every URL pattern the resolver knows, each with the ROWS key that covers it."""
    return [
        Pattern(name or route, route, row_key(name, route))
        for name, route in walk(get_resolver().url_patterns)
    ]


def url_for(pattern, objects):
    """The path of `pattern` with its parameters filled from `objects`."""
    row = ROWS[pattern.key]
    kwargs = {}
    if row.params is admin_object:
        kwargs = admin_object(pattern.route, objects)
    elif row.params:
        kwargs = row.params(objects)
    if pattern.name != pattern.route:
        return reverse(pattern.name, kwargs=kwargs)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), pattern.route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), path)
    return "/" + path.replace("^", "").replace("$", "")


def expected(pattern, role, method):
    """The declared status for `role` asking `pattern` by `method`."""
    if (pattern.name, role) in EXCEPTIONS:
        return EXCEPTIONS[(pattern.name, role)][method == "POST"]
    row = ROWS[pattern.key]
    if role in NAESTVED_ROLES:
        if role in row.more:
            return row.more[role][method == "POST"]
        role = "leader"
    status = (row.post if method == "POST" else row.get)[BASE_ROLES.index(role)]
    if status == V:
        return 200 if kombit_may_view(pattern.route) else 403
    return status
