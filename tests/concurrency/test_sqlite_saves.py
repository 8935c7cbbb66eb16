"""The embedded default under concurrent use: 20 parallel saves against the dev server on a
SQLite file. One save per version is accepted, the rest are refused as stale, none is a 500."""

import os
import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.utils import translation
from django.utils.html import escape

from klik.services import STALE_VERSION
from tests.kombitpl.test_settings import ROOT

SETUP = """
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.conf import settings
from django.contrib.auth.models import Group
from klik.models import MunicipalityTask
from klik.services import task_publish
from klik.models import Task
from portfolio.models import Municipality, Project
m = Municipality.objects.create(code="370", name="Næstved")
p = Project.objects.create(short_name="BBR", name="BBR", slug="bbr", phase="rollout",
                           rollout="big_bang")
for n in range(21):
    task_publish(task=Task(title=f"Opgave {n}", project=p, kind="solution",
                           published_on="2026-01-01"))
u = get_user_model().objects.create_user("naestved", password="x", municipality=m)
u.groups.add(Group.objects.get(name=settings.PROGRAMME_LEADER_GROUP))
s = SessionStore()
s["_auth_user_id"] = str(u.pk)
s["_auth_user_backend"] = "portfolio.backends.UserWithMunicipalityBackend"
s["_auth_user_hash"] = u.get_session_auth_hash()
s.create()
print("SESSION", s.session_key)
print("TASKS", *MunicipalityTask.objects.order_by("pk").values_list("pk", flat=True))
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("sqlite") / "db.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"DATABASE_URL": f"sqlite:///{db}", "DJANGO_SETTINGS_MODULE": "kombitpl.settings.dev"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run(
        [*manage, "shell", "-c", SETUP],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    session = re.search(r"SESSION (\w+)", out).group(1)
    tasks = [int(pk) for pk in re.search(r"TASKS ([\d ]+)", out).group(1).split()]
    port = free_port()
    proc = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base, session, tasks
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def save(base, session, pk, note):
    """One user's save of task `pk` from a form loaded at version 0."""
    cookies = {"sessionid": session, "csrftoken": "a" * 32}
    data = {"version": "0", "state": "in_progress", "note": note, "csrfmiddlewaretoken": "a" * 32}
    headers = {"Referer": f"{base}/klik/{pk}/"}
    with httpx.Client(cookies=cookies, timeout=60) as client:
        return client.post(f"{base}/klik/{pk}/", data=data, headers=headers)


def parallel(base, session, pks):
    with ThreadPoolExecutor(max_workers=20) as pool:
        return list(pool.map(lambda a: save(base, session, *a), pks))


def test_twenty_parallel_saves_of_one_task_accept_one_and_refuse_the_rest(server):
    base, session, tasks = server
    responses = parallel(base, session, [(tasks[0], f"Note {n}") for n in range(20)])
    statuses = [r.status_code for r in responses]
    assert 500 not in statuses
    assert statuses.count(302) == 1  # saved, back to the task page
    refused = [r for r in responses if r.status_code == 200]
    assert len(refused) == 19
    with translation.override("da"):
        stale = escape(str(STALE_VERSION))
    assert all(stale in r.text for r in refused)


def test_twenty_parallel_saves_of_twenty_tasks_are_all_accepted(server):
    base, session, tasks = server
    responses = parallel(base, session, [(pk, "Parallel") for pk in tasks[1:21]])
    assert [r.status_code for r in responses] == [302] * 20
