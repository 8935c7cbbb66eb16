"""Load and fault run: simulated programme leaders against gunicorn and a private PostgreSQL.

    make loadtest          # 50 leaders for 60 s on the national benchmark data, one restart
    make loadtest-short    # the CI version: 20 leaders for 30 s on a small catalogue

Everything it needs it starts itself on 127.0.0.1 and stops again: a PostgreSQL cluster of its
own (initdb into a temporary folder, its own port, run as the unprivileged `postgres` user when
started as root), never the machine's shared server, and gunicorn with the production settings.

The simulated leaders log in, browse /klik/ with filters, open tasks, export, and edit the
states of a small pool of tasks that several of them share, so stale saves happen. With
--fault, PostgreSQL is stopped in the middle and started again. Afterwards the database is
checked: every edit the server accepted (a redirect after the save) must be in the task's
history with the version it produced, and every refused stale edit must have said so to its
user. The run fails (exit 1) on any 500, on a 5xx outside the outage, on a lost edit, or if
the service does not recover by itself.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from pathlib import Path

import httpx

BASE = Path(__file__).resolve().parent.parent
RESULTS = BASE / "bench" / "RESULTS.md"
PASSWORD = "belastning-" + secrets.token_hex(8)
STALE_TEXT = "Dine ændringer blev ikke gemt"
OUTAGE_TEXT = "midlertidigt utilgængelig"
# Edits go to this many tasks per municipality, so several leaders meet on the same ones.
HOT_TASKS = 6
LEADERS_PER_MUNICIPALITY = 10
# The server is told it sits behind a TLS proxy, as in production.
TLS = {"X-Forwarded-Proto": "https"}
STATES = ("not_started", "in_progress", "done", "blocked")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_bin():
    """The folder of initdb/pg_ctl: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        sys.exit("Fejl: PostgreSQL's initdb findes ikke (Debian: apt-get install postgresql).")
    return versions[-1]


class Cluster:
    """A private PostgreSQL cluster in a temporary folder, on its own port."""

    def __init__(self, root):
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.bin = pg_bin()
        self.as_root = os.geteuid() == 0

    def _run(self, *args, check=True):
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True)
        if check and result.returncode:
            sys.exit(f"Fejl: {' '.join(command)}\n{result.stdout}{result.stderr}")
        return result

    def init(self):
        self.root.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "load")

    def start(self):
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/load"


def manage(env, *args, capture=False):
    """Run manage.py with `env`; its output is shown unless captured."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )
    return result.stdout if capture else None


def shell_json(env, script):
    """The JSON that `script`, run by manage.py shell, prints as its last line."""
    output = manage(env, "shell", "-v", "0", "-c", script, capture=True)
    return json.loads(output.strip().splitlines()[-1])


SETUP = """
import json
from django.conf import settings
from django.contrib.auth.models import Group
from klik.models import MunicipalityTask
from portfolio.models import Municipality, User
leaders = Group.objects.get(name=settings.PROGRAMME_LEADER_GROUP)
out = {}
for municipality in Municipality.objects.order_by("code")[:MUNICIPALITIES]:
    tasks = list(MunicipalityTask.objects.filter(municipality=municipality)
                 .order_by("pk").values_list("pk", flat=True))
    users = []
    for n in range(LEADERS):
        user, _ = User.objects.get_or_create(username=f"load-{municipality.code}-{n}",
                                             defaults={"municipality": municipality})
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(leaders)
        users.append(user.username)
    out[municipality.code] = {"users": users, "tasks": tasks[:200], "hot": tasks[:HOT]}
print(json.dumps(out))
"""

VERIFY = """
import json
from klik.models import MunicipalityTaskChange
rows = MunicipalityTaskChange.objects.filter(
    field="state", changed_by__username__startswith="load-"
)
print(json.dumps([[c.municipality_task_id, c.version, c.changed_by.username]
                  for c in rows.select_related("changed_by")]))
"""


def prepare(env, args):
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_facts", capture=True)
    started = time.monotonic()
    manage(
        env,
        "load_bench",
        "--projects",
        str(args.projects),
        "--tasks-per-project",
        str(args.tasks_per_project),
        capture=True,
    )
    loaded = time.monotonic() - started
    script = (
        SETUP.replace("MUNICIPALITIES", str(-(-args.users // LEADERS_PER_MUNICIPALITY)))
        .replace("LEADERS", str(LEADERS_PER_MUNICIPALITY))
        .replace("PASSWORD", repr(PASSWORD))
        .replace("HOT", str(HOT_TASKS))
    )
    return shell_json(env, script), loaded


class Server:
    """gunicorn with the production settings on a port of its own."""

    def __init__(self, env, workers):
        self.port = free_port()
        self.env = {**env, "PORT": str(self.port), "WEB_CONCURRENCY": str(workers)}
        self.process = None

    def start(self):
        command = [sys.executable, "-m", "gunicorn", "--no-control-socket"]
        if (BASE / "gunicorn.conf.py").exists():
            command += ["-c", "gunicorn.conf.py"]
        else:
            command += ["kombitpl.wsgi:application", "--timeout", "120"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", self.env["WEB_CONCURRENCY"]]
        self.log = open(BASE / "var" / f"loadtest-gunicorn-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            command, cwd=BASE, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", headers=TLS, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                sys.exit(f"Fejl: gunicorn stoppede; se {self.log.name}")
            time.sleep(0.3)
        sys.exit("Fejl: gunicorn svarede ikke inden for 60 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Stats:
    timings: dict = field(default_factory=lambda: defaultdict(list))
    statuses: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    errors: list = field(default_factory=list)
    accepted: list = field(default_factory=list)
    refused_reported: int = 0
    refused_unreported: int = 0
    outage: tuple = None
    recovered_at: float = None
    healthz_during_outage: list = field(default_factory=list)

    def record(self, kind, response, seconds, at):
        """One answered request that began `at` seconds into the run and took `seconds`."""
        self.timings[kind].append(seconds)
        self.statuses[kind][response.status_code] += 1
        if response.status_code >= 500:
            clean = OUTAGE_TEXT in response.text
            self.errors.append((at, at + seconds, kind, response.status_code, clean))


class Leader:
    """One simulated programme leader with their own cookies (the server's are Secure, so the
    client, speaking plain HTTP to a server told it is behind TLS, keeps them itself)."""

    def __init__(self, server, username, pool, stats, started):
        self.base = server.url
        self.username = username
        self.pool = pool
        self.stats = stats
        self.started = started
        self.cookies = {}
        self.random = random.Random(username)
        headers = {"X-Forwarded-Proto": "https", "Origin": f"https://127.0.0.1:{server.port}"}
        self.client = httpx.AsyncClient(base_url=self.base, headers=headers, timeout=60)

    async def request(self, kind, method, path, data=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        begun = time.monotonic()
        try:
            response = await self.client.request(method, path, data=data, headers=headers)
        except httpx.HTTPError as error:
            at, now = begun - self.started, time.monotonic() - self.started
            self.stats.errors.append((at, now, kind, type(error).__name__, False))
            await asyncio.sleep(1)
            return None
        await response.aread()
        self.stats.record(kind, response, time.monotonic() - begun, begun - self.started)
        if response.status_code >= 500:
            await asyncio.sleep(1)  # a person reads the error page before trying again
        for name, value in response.cookies.items():
            self.cookies[name] = value
        return response

    async def log_in(self):
        page = await self.request("login", "GET", "/accounts/login/")
        token = csrf(page.text)
        response = await self.request(
            "login",
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": self.username, "password": PASSWORD},
        )
        if response is None or response.status_code != 302:
            raise RuntimeError(f"{self.username} could not log in")

    async def browse(self):
        query = self.random.choice(
            [
                "",
                "?status=red",
                "?state=open&sort=status",
                "?status=yellow&status=red",
                "?sort=-deadline&page=2",
                "?q=opgave",
                "?unassigned=on",
                "?state=open&per_page=100",
            ]
        )
        await self.request("list", "GET", f"/klik/{query}")

    async def open_task(self):
        await self.request("task", "GET", f"/klik/{self.random.choice(self.pool['tasks'])}/")

    async def export(self):
        query = self.random.choice(["?status=red", "?state=open", "?status=yellow"])
        await self.request("export", "GET", f"/klik/eksport.xlsx{query}")

    async def dashboard(self):
        await self.request("dashboard", "GET", "/")

    async def edit(self):
        pk = self.random.choice(self.pool["hot"])
        page = await self.request("edit-form", "GET", f"/klik/{pk}/")
        if page is None or page.status_code != 200:
            return
        data = form_fields(page.text)
        current = data.get("state")
        data["state"] = self.random.choice([s for s in STATES if s != current])
        version = int(data["version"])
        await asyncio.sleep(self.random.uniform(0, 0.5))  # reading the page: others may save
        response = await self.request("edit", "POST", f"/klik/{pk}/", data)
        if response is None:
            return
        if response.status_code == 302:
            self.stats.accepted.append((pk, version + 1, self.username))
        elif response.status_code == 200:
            if STALE_TEXT in response.text:
                self.stats.refused_reported += 1
            else:
                self.stats.refused_unreported += 1

    async def run(self, until):
        await self.log_in()
        actions = (
            [self.browse] * 7
            + [self.open_task] * 5
            + [self.edit] * 4
            + [self.export] * 2
            + [self.dashboard] * 2
        )
        while time.monotonic() < until:
            await self.random.choice(actions)()
        await self.client.aclose()


def csrf(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def form_fields(html):
    """What the browser would send from the task page's edit form."""
    form = html[html.index('<form method="post" class="klik-edit"') :]
    form = form[: form.index("</form>")]
    data = {}
    for tag in re.findall(r"<input\b[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) == "checkbox" and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = unescape(value.group(1)) if value else "on"
    for name, body in re.findall(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = unescape(chosen.group(1)) if chosen else ""
    for name, body in re.findall(
        r'<textarea\b[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S
    ):
        data[name] = unescape(body.strip("\n"))
    return data


async def fault(cluster, server, stats, started, at, outage):
    """Stop PostgreSQL `at` seconds in, start it again `outage` seconds later, and time the
    recovery: until /healthz answers 200 again."""
    await asyncio.sleep(at)
    down = time.monotonic()
    await asyncio.to_thread(cluster.stop)
    async with httpx.AsyncClient(timeout=5, headers=TLS) as client:
        while time.monotonic() - down < outage:
            try:
                response = await client.get(f"{server.url}/healthz")
                stats.healthz_during_outage.append(response.status_code)
            except httpx.HTTPError as error:
                stats.healthz_during_outage.append(type(error).__name__)
            await asyncio.sleep(0.5)
        await asyncio.to_thread(cluster.start)
        up = time.monotonic()
        stats.outage = (down - started, up - started)
        while time.monotonic() - up < 60:
            try:
                if (await client.get(f"{server.url}/healthz")).status_code == 200:
                    stats.recovered_at = time.monotonic() - started
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)


async def scale_out(first, second, pools):
    """The claim that app servers keep no state of their own: a leader logs in on one
    gunicorn, and the other knows the session, accepts the first one's CSRF token and saves."""
    pool = next(iter(pools.values()))
    leader = Leader(first, pool["users"][0], pool, Stats(), time.monotonic())
    await leader.log_in()
    pk = pool["tasks"][-1]  # not one the load edits, so its history stays the load's alone
    form = await leader.request("edit-form", "GET", f"/klik/{pk}/")
    data = form_fields(form.text)
    data["state"] = next(s for s in STATES if s != data.get("state"))
    other = Leader(second, leader.username, pool, Stats(), time.monotonic())
    other.cookies = dict(leader.cookies)
    page = await other.request("dashboard", "GET", "/")
    saved = await other.request("edit", "POST", f"/klik/{pk}/", data)
    await leader.client.aclose()
    await other.client.aclose()
    ok = page.status_code == 200 and leader.username in page.text and saved.status_code == 302
    accepted = (pk, int(data["version"]) + 1, leader.username) if saved.status_code == 302 else None
    return (
        ok,
        accepted,
        (
            f"Scale-out: logged in on port {first.port}, then on port {second.port}: "
            f"front page {page.status_code}, save {saved.status_code} "
            f"({'the session and CSRF token carried over' if ok else 'FAILED'})"
        ),
    )


async def load(server, pools, args, stats, cluster):
    started = time.monotonic()
    until = started + args.seconds
    leaders = [
        Leader(server, username, pool, stats, started)
        for pool in pools.values()
        for username in pool["users"]
    ][: args.users]
    jobs = [leader.run(until) for leader in leaders]
    if args.fault:
        jobs.append(fault(cluster, server, stats, started, args.seconds * 0.4, args.outage))
    results = await asyncio.gather(*jobs, return_exceptions=True)
    return [r for r in results if isinstance(r, Exception)]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(stats, args, history, crashed, loaded):
    written = {(pk, version): user for pk, version, user in history}
    lost = [a for a in stats.accepted if written.get((a[0], a[1])) != a[2]]
    accepted_keys = {(a[0], a[1]) for a in stats.accepted}
    unreported_saves = [k for k in written if k not in accepted_keys]
    # A request met the outage when it was under way at any moment between the stop and the
    # recovery (it may have waited in gunicorn's queue before the stop).
    window = (stats.outage[0], stats.recovered_at or stats.outage[1]) if stats.outage else None
    in_outage = [e for e in stats.errors if window and e[0] <= window[1] and e[1] >= window[0]]
    outside = [e for e in stats.errors if e not in in_outage]
    http_500 = [e for e in stats.errors if e[3] == 500]
    not_clean = [e for e in in_outage if e[3] != 503 or not e[4]]
    lines = [
        f"Leaders {args.users}, {args.seconds} s, workers {args.workers}, "
        f"data: {args.projects} projects × {args.tasks_per_project} tasks × 98 municipalities "
        f"(loaded in {loaded:.0f} s)",
        "",
        "| Request | Count | 5xx | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    total = 0
    for kind in ("login", "dashboard", "list", "task", "edit-form", "edit", "export"):
        times = stats.timings.get(kind)
        if not times:
            continue
        total += len(times)
        errors = sum(n for code, n in stats.statuses[kind].items() if code >= 500)
        lines.append(
            f"| {kind} | {len(times)} | {errors} | {percentile(times, 0.5) * 1000:.0f} "
            f"| {percentile(times, 0.95) * 1000:.0f} |"
        )
    lines += [
        "",
        f"Requests: {total}, per second: {total / args.seconds:.1f}",
        f"Edits accepted: {len(stats.accepted)}, refused as stale (and told so): "
        f"{stats.refused_reported}, refused without saying why: {stats.refused_unreported}, "
        f"lost: {len(lost)}, saved but answered with an error (during the outage): "
        f"{len(unreported_saves)}",
        f"5xx: {len(stats.errors)} (during the outage: {len(in_outage)}, of which not a clean "
        f"503 page: {len(not_clean)}; outside it: {len(outside)}; HTTP 500: {len(http_500)})",
    ]
    if stats.outage:
        down, up = stats.outage
        recovery = (stats.recovered_at - up) if stats.recovered_at else None
        healthy = [s for s in stats.healthz_during_outage if s == 200]
        lines.append(
            f"Outage: PostgreSQL stopped at {down:.1f} s for {up - down:.1f} s; /healthz during "
            f"it: {sorted(set(map(str, stats.healthz_during_outage)))} ({len(healthy)} × 200); "
            + (
                f"recovered {recovery:.1f} s after the database was back"
                if recovery is not None
                else "did NOT recover within 60 s"
            )
        )
    if outside:
        lines.append(
            "Outside the outage: "
            + ", ".join(
                f"{kind} {status} at {begin:.1f}–{end:.1f} s"
                for begin, end, kind, status, _ in outside[:5]
            )
        )
    failures = []
    if crashed:
        failures.append(f"{len(crashed)} simulated leaders crashed: {crashed[0]!r}")
    if http_500 or outside or not_clean:
        failures.append("server errors outside the outage, or not the 503 page")
    if lost:
        failures.append(f"{len(lost)} accepted edits are not in the history")
    if stats.refused_unreported:
        failures.append("edits were refused without the stale message")
    if stats.outage and (
        not stats.recovered_at or any(s == 200 for s in stats.healthz_during_outage)
    ):
        failures.append("/healthz answered 200 during the outage, or the service did not recover")
    return lines, failures


def record(lines, args):
    machine = f"{platform.node()}, {os.cpu_count()} cores, {platform.python_version()}"
    title = f"## Load{' and fault' if args.fault else ''} run, {date.today().isoformat()}"
    text = "\n".join([title, "", f"`{' '.join(sys.argv[1:])}` on {machine}", "", *lines, ""])
    existing = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    RESULTS.write_text(existing.rstrip("\n") + "\n\n" + text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--projects", type=int, default=30)
    parser.add_argument("--tasks-per-project", type=int, default=80)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--fault", action="store_true", help="restart PostgreSQL mid-run")
    parser.add_argument("--outage", type=float, default=5.0, help="seconds PostgreSQL is down")
    parser.add_argument("--record", action="store_true", help="append the figures to RESULTS.md")
    args = parser.parse_args()

    (BASE / "var").mkdir(exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="kombitpl-load-"))
    os.chmod(root, 0o755)
    cluster = Cluster(root / "pg")
    server = None
    try:
        print(f"PostgreSQL (private cluster) on port {cluster.port} …", flush=True)
        cluster.init()
        env = {
            **os.environ,
            "DATABASE_URL": cluster.url,
            "DJANGO_SETTINGS_MODULE": "kombitpl.settings.dev",
        }
        print("Migrating and loading the benchmark data …", flush=True)
        pools, loaded = prepare(env, args)
        prod = {
            **env,
            "DJANGO_SETTINGS_MODULE": "kombitpl.settings.prod",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        }
        manage(prod, "collectstatic", "--noinput", "-v", "0")
        server = Server(prod, args.workers)
        server.start()
        print(
            f"gunicorn ({args.workers} workers) on port {server.port}; "
            f"{args.users} leaders for {args.seconds} s{' with a restart' if args.fault else ''} …",
            flush=True,
        )
        second = Server(prod, 1)
        second.start()
        shared, scale_edit, scale_line = asyncio.run(scale_out(server, second, pools))
        second.stop()
        print(scale_line, flush=True)
        stats = Stats()
        crashed = asyncio.run(load(server, pools, args, stats, cluster))
        if scale_edit:
            stats.accepted.append(scale_edit)
        history = shell_json(env, VERIFY)
        lines, failures = report(stats, args, history, crashed, loaded)
        lines.append(scale_line)
        if not shared:
            failures.append("a session made on one app server did not work on the other")
    finally:
        if server:
            server.stop()
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
    print("\n".join(lines))
    if args.record:
        record(lines, args)
    if failures:
        print("FAILED: " + "; ".join(failures))
        sys.exit(1)
    print("OK: no 500, no lost edit" + (", recovered by itself" if args.fault else ""))


if __name__ == "__main__":
    main()
