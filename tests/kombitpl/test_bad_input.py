"""Bad input at scale: hypothesis over every list page's query string and every form.

Never a 500; a refused input changes nothing; the KLIK list's colour counts always sum to the
rows it lists. (The exports have their own such test in tests/klik/test_export_text.py.)
"""

import re
from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from klik.filters import KlikFilterSet
from klik.models import (
    Colour,
    Escalation,
    MunicipalityTask,
    MunicipalityTaskChange,
    PendingImport,
    SavedFilter,
)
from notifikationer.models import CalendarFeed, MailPreference
from overblik.filters import OverviewFilter
from rollegalleri.filters import PersonFilter, StaffingFilter
from rollegalleri.models import Person, RoleAssignment
from tests.factories import PersonFactory, ProjectFactory, RoleFactory
from tests.klik.conftest import publish
from tests.unicode import EDGES, EXAMPLES, query_strings, query_value

pytestmark = pytest.mark.django_db

PAGING = ["sort", "page", "per_page"]
LIST_PAGES = {
    "/": ["municipality", "project", "status"],
    "/klik/": [*KlikFilterSet.base_filters, *PAGING],
    "/overblik/": [*OverviewFilter.base_filters, *PAGING],
    "/roller/bemanding/": [*StaffingFilter.base_filters, "municipality", *PAGING],
    "/roller/personer/": [*PersonFilter.base_filters, "municipality", *PAGING],
    "/snitflader/": ["q", *PAGING],
    "/arrangementer/": ["project", "support_system", *PAGING],
}
# Parameters naming a municipality or its objects: a programme leader naming another
# municipality's is answered 404, as its page would be (issue 8).
SCOPED = ("municipality=", "responsible=", "executor=")

# What a form field may be sent as: any text a browser can encode (every code point but lone
# surrogates, NUL and the other edges included), a number of any size, or nothing.
form_text = st.text(
    st.characters(exclude_categories=("Cs",))
    | st.sampled_from([c for c in EDGES if not 0xD800 <= ord(c) <= 0xDFFF])
)
form_value = form_text | st.integers(min_value=-(2**70), max_value=2**70).map(str) | st.just("")


def values(names):
    """Form data: a value (or none) for each of `names`."""
    return st.fixed_dictionaries({}, optional={name: form_value for name in names})


def snapshot():
    """Everything a form here could write."""
    return (
        list(
            MunicipalityTask.objects.order_by("pk").values_list(
                "pk", "state", "responsible_id", "executor_id", "needs_help", "note", "version"
            )
        ),
        MunicipalityTaskChange.objects.count(),
        Escalation.objects.count(),
        SavedFilter.objects.count(),
        PendingImport.objects.count(),
        list(Person.objects.order_by("pk").values_list("pk", "name", "email", "retired_on")),
        RoleAssignment.objects.count(),
        list(MailPreference.objects.order_by("pk").values()),
        list(CalendarFeed.objects.order_by("pk").values_list("pk", "token")),
    )


@pytest.fixture
def data(naestved, hoersholm):
    """Tasks of each colour in Næstved, one in Hørsholm, persons and a role to assign."""
    project = ProjectFactory(short_name="BBR", slug="bbr")
    tasks = [publish(colour, naestved, project=project) for colour in Colour]
    publish(Colour.RED, hoersholm)
    RoleFactory(name="Tekniker", slug="tekniker")
    return {"task": tasks[0], "person": PersonFactory(municipality=naestved, name="Bo Berg")}


@pytest.mark.parametrize("path", list(LIST_PAGES))
def test_no_query_string_gives_a_server_error_on_any_list_page(clients, data, path):
    @EXAMPLES
    @given(user=st.sampled_from(list(clients)), query=query_strings(LIST_PAGES[path]))
    @example(user="leader", query="per_page=99999999999999999999&page=-1")
    @example(user="kombit", query="sort=%00&municipality=%FF%FE")
    def check(user, query):
        # Blank parameters are dropped by a redirect to the same page (issue 13).
        response = clients[user].get(f"{path}?{query}", follow=True)
        if response.status_code == 404 and user == "leader":
            assert any(name in query for name in SCOPED), query
        else:
            assert response.status_code == 200, (user, query, response.status_code)

    check()


def test_the_colour_counts_always_sum_to_the_rows_listed(clients, data):
    @EXAMPLES
    @given(user=st.sampled_from(list(clients)), query=query_strings(LIST_PAGES["/klik/"]))
    @example(user="leader", query="status=red&status=grey&state=open")
    @example(user="kombit", query="q=opgave&status=green")
    def check(user, query):
        response = clients[user].get(f"/klik/?{query}")
        if response.status_code != 200:
            return
        filterset = response.context["filter"]
        counts = {facet["colour"]: facet["count"] for facet in response.context["facets"]}
        if filterset.is_bound and not filterset.is_valid():
            assert response.context["table"].paginator.count == 0
            return
        chosen = set(filterset.form.cleaned_data.get("status") or Colour.values)
        listed = filterset.qs.count()
        assert sum(n for colour, n in counts.items() if colour in chosen) == listed, query
        assert response.context["table"].paginator.count == listed

    check()


TASK_FIELDS = ["version", "state", "responsible", "executor", "needs_help", "note"]


def test_the_task_form_never_errs_and_a_refused_save_changes_nothing(leader_client, data):
    url = f"/klik/{data['task'].pk}/"

    @EXAMPLES
    @given(sent=values([*TASK_FIELDS, *(f"initial-{name}" for name in TASK_FIELDS)]))
    @example(sent={"version": "99999999999999999999", "state": "done"})
    @example(sent={"version": "0", "responsible": "-1", "note": "\x00"})
    def check(sent):
        before = snapshot()
        response = leader_client.post(url, sent)
        assert response.status_code in (200, 302), (sent, response.status_code)
        if response.status_code == 200:  # the form again, with its errors: nothing saved
            assert snapshot() == before, sent

    check()


BULK_FIELDS = [f"bulk-{n}" for n in ("tasks", "all_on_page", "page_tasks", "responsible")] + [
    f"bulk-{n}" for n in ("executor", "state", "needs_help", "back")
]


def test_the_bulk_form_never_errs_and_changes_nothing_before_its_confirmation(leader_client, data):
    @EXAMPLES
    @given(sent=values(BULK_FIELDS), tasks=st.lists(query_value | st.just("1:0"), max_size=3))
    @example(sent={"bulk-state": "done"}, tasks=[f"{data['task'].pk}:{data['task'].version}"])
    def check(sent, tasks):
        before = snapshot()
        response = leader_client.post("/klik/massevis/", {**sent, "bulk-tasks": tasks})
        assert response.status_code in (200, 302), (sent, tasks, response.status_code)
        assert snapshot() == before, (sent, tasks)  # no "confirm": at most the review page

    check()


def test_the_bulk_confirmation_never_errs(leader_client, data):
    @EXAMPLES
    @given(sent=values(BULK_FIELDS), tasks=st.lists(form_value, max_size=3))
    def check(sent, tasks):
        response = leader_client.post(
            "/klik/massevis/", {**sent, "bulk-tasks": tasks, "confirm": "yes"}
        )
        assert response.status_code in (200, 302), (sent, tasks, response.status_code)

    check()


def test_the_escalation_form_never_errs_and_a_wrong_version_changes_nothing(leader_client, data):
    mt = data["task"]

    @EXAMPLES
    @given(sent=values(["action", "version", "note", "next"]))
    @example(sent={"action": "mark", "version": "-1", "next": "https://evil.example/"})
    @example(sent={"next": "0"})  # once a 500: redirect() took "0" for a view name
    def check(sent):
        before = snapshot()
        current = MunicipalityTask.objects.get(pk=mt.pk).version
        response = leader_client.post(f"/klik/{mt.pk}/eskalering/", sent)
        assert response.status_code == 302, (sent, response.status_code)
        assert not response["Location"].startswith(("http", "//")), response["Location"]
        if not is_number(sent.get("version"), current):
            assert snapshot() == before, sent

    check()


def is_number(text, number):
    """Whether a form's IntegerField would read `text` as `number`."""
    try:
        return int(str(text).strip()) == number
    except ValueError:
        return False


def test_saving_a_filter_never_errs(leader_client, data):
    @EXAMPLES
    @given(sent=values(["name", "query", "shared"]))
    def check(sent):
        response = leader_client.post("/klik/filtre/", sent)
        assert response.status_code == 302, (sent, response.status_code)

    check()


PERSON_FIELDS = ["name", "email", "job_title", "department", "user"]


def test_the_person_forms_never_err_and_a_refused_one_changes_nothing(leader_client, data):
    person = data["person"]

    @EXAMPLES
    @given(sent=values(PERSON_FIELDS), where=st.sampled_from(["ny/", f"{person.pk}/rediger/"]))
    def check(sent, where):
        before = snapshot()
        response = leader_client.post(f"/roller/personer/{where}", sent)
        assert response.status_code in (200, 302), (sent, response.status_code)
        if response.status_code == 200:
            assert snapshot() == before, sent

    check()


def test_the_role_assignment_form_never_errs_and_a_refused_one_changes_nothing(leader_client, data):
    person = data["person"]

    @EXAMPLES
    @given(sent=values(["role", "project", "started_on", "ended_on", "note", "primary"]))
    def check(sent):
        before = snapshot()
        response = leader_client.post(f"/roller/personer/{person.pk}/tildel/", sent)
        assert response.status_code in (200, 302), (sent, response.status_code)
        if response.status_code == 200:
            assert snapshot() == before, sent

    check()


def test_no_upload_gives_a_server_error_or_keeps_a_file(leader_client, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    @EXAMPLES
    @given(content=st.binary(max_size=4096), name=form_text.filter(lambda s: 0 < len(s) < 100))
    @example(content=b"PK\x03\x04" + b"\x00" * 100, name="a.xlsx")
    def check(content, name):
        before = snapshot()
        # Any name a browser could send as a file's base name.
        base = re.sub(r"[/\\\x00]", "", name)
        upload = SimpleUploadedFile(base if base.strip(". ") else "x", content)
        response = leader_client.post("/klik/import/", {"file": upload})
        assert response.status_code == 200, (content[:20], response.status_code)
        assert snapshot() == before

    check()


PREFERENCE_FIELDS = [
    "enabled",
    "tasks",
    "published",
    "digest",
    "digest_weekday",
    "national_digest",
    "action",
]


@pytest.mark.parametrize("who", ["leader", "kombit"])
def test_the_preferences_form_never_errs_and_a_refused_one_changes_nothing(
    clients, data, leader, kombit, who
):
    user = {"leader": leader, "kombit": kombit}[who]
    user.email = f"{who}@example.org"
    user.save()

    @EXAMPLES
    @given(sent=values(PREFERENCE_FIELDS), where=st.sampled_from(["", "kalender/"]))
    @example(sent={"digest_weekday": "7", "enabled": "on"}, where="")
    def check(sent, where):
        before = snapshot()
        response = clients[who].post(f"/notifikationer/{where}", sent)
        assert response.status_code in (200, 302), (sent, response.status_code)
        if response.status_code == 200:
            assert snapshot() == before, sent

    check()


LOCAL_TASK_FIELDS = [
    "title",
    "description",
    "project",
    "support_system",
    "interfaces",
    "starts_on",
    "deadline",
    "roles",
    "responsible",
    "executor",
    "version",
]


def local_snapshot():
    """Every task's own fields (a local task's form writes those), and the rest."""
    from klik.models import Task

    tasks = Task.objects.order_by("pk").values_list(
        "pk", "title", "description", "project_id", "starts_on", "deadline", "deleted_at"
    )
    return list(tasks), snapshot()


def test_the_local_task_forms_never_err_and_a_refused_one_changes_nothing(
    leader_client, leader, data
):
    """Issue 15: creating and editing a local task."""
    from klik.services import task_create_local

    own = task_create_local(municipality=leader.municipality, user=leader, title="Egen opgave")

    @EXAMPLES
    @given(sent=values(LOCAL_TASK_FIELDS), where=st.sampled_from(["ny/", f"{own.pk}/rediger/"]))
    @example(sent={"title": "\x00", "version": "99999999999999999999"}, where="ny/")
    @example(sent={"title": "x", "interfaces": "-1", "roles": "2"}, where=f"{own.pk}/rediger/")
    @example(sent={"roles": "9223372036854775808"}, where="ny/")
    def check(sent, where):
        before = local_snapshot()
        response = leader_client.post(f"/klik/{where}", sent)
        if response.status_code == 404:  # another municipality's person named
            assert {"responsible", "executor"} & set(sent), sent
            assert local_snapshot() == before, sent
            return
        assert response.status_code in (200, 302), (sent, response.status_code)
        if response.status_code == 200:
            assert local_snapshot() == before, sent

    check()


def test_no_unsubscribe_token_gives_a_server_error_or_changes_anything(client, data):
    @EXAMPLES
    @given(token=form_text.filter(lambda s: s.strip()), method=st.sampled_from(["get", "post"]))
    @example(token="eyJlIjoiYUBiLmRrIiwidCI6WyJ0YXNrcyJdfQ:1tX:abc", method="post")
    def check(token, method):
        before = snapshot()
        response = getattr(client, method)(f"/notifikationer/afmeld/{quote(token, safe='')}/")
        assert response.status_code in (400, 404), (token, response.status_code)
        assert snapshot() == before

    check()


USER_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "role",
    "is_administrator",
    "person",
    "is_active",
]


def users_snapshot():
    from portfolio.models import User

    return list(
        User.objects.order_by("pk").values_list(
            "pk", "username", "first_name", "last_name", "email", "is_active"
        )
    ), list(Person.objects.order_by("pk").values_list("pk", "user_id"))


def test_the_user_administration_never_errs_and_a_refused_form_changes_nothing(
    client, naestved, data
):
    """Issue 15: /brugere/, its list's query string and its form."""
    from tests.factories import KlikAdministratorFactory, ProjectLeaderFactory

    client.force_login(KlikAdministratorFactory(municipality=naestved))
    other = ProjectLeaderFactory(municipality=naestved, username="pia")

    @EXAMPLES
    @given(
        sent=values(USER_FIELDS),
        where=st.sampled_from(["ny/", f"{other.pk}/"]),
        query=query_strings(["q", "role", "active", *PAGING]),
    )
    @example(sent={"username": "\x00", "role": "reader"}, where="ny/", query="active=%FF")
    @example(sent={"person": "99999999999999999999"}, where=f"{other.pk}/", query="page=-1")
    def check(sent, where, query):
        # Blank parameters are dropped by a redirect to the same page (issue 13).
        assert client.get(f"/brugere/?{query}", follow=True).status_code == 200, query
        before = users_snapshot()
        response = client.post(f"/brugere/{where}", sent)
        if response.status_code == 404:  # another municipality's person named
            assert "person" in sent, sent
            assert users_snapshot() == before, sent
            return
        assert response.status_code in (200, 302), (sent, response.status_code)
        if response.status_code == 200:
            assert users_snapshot() == before, sent

    check()


def test_no_attachment_upload_gives_a_server_error_or_keeps_a_refused_file(
    leader_client, data, media
):
    """Issue 15: any name and content sent as an attachment: never a 500; a refused file leaves
    neither a row nor a stored file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from klik.models import Attachment

    url = f"/klik/{data['task'].pk}/bilag/"

    def stored():
        return sorted(p.name for p in media.rglob("*") if p.is_file()) if media.exists() else []

    @EXAMPLES
    @given(
        content=st.binary(max_size=4096),
        name=form_text.filter(lambda s: 0 < len(s) < 100),
        extension=st.sampled_from(["", ".pdf", ".docx", ".txt", ".csv", ".png", ".exe"]),
    )
    @example(content=b"%PDF-1.4\n", name="../../etc/passwd", extension=".pdf")
    @example(content=b"PK\x03\x04" + b"\x00" * 100, name="a", extension=".docx")
    def check(content, name, extension):
        rows, files = Attachment.objects.count(), stored()
        base = re.sub(r"[/\\\x00]", "", name) + extension
        upload = SimpleUploadedFile(base if base.strip(". ") else "x", content)
        response = leader_client.post(url, {"file": upload})
        assert response.status_code == 302, (base, content[:20], response.status_code)
        if Attachment.objects.count() == rows:  # refused: nothing kept
            assert stored() == files, base

    check()
