"""The README's deployment table and .env.example name exactly the variables the code reads."""

import re

from tests.kombitpl.test_settings import ROOT

READS = re.compile(r"""ENV\.get\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def variables_read():
    sources = [*(ROOT / "kombitpl" / "settings").glob("*.py"), ROOT / "gunicorn.conf.py"]
    return {name for path in sources for name in READS.findall(path.read_text())}


def test_the_readme_table_lists_every_environment_variable_the_settings_read():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Deployment", 1)[1].split("\n## ", 1)[0]
    table = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section, re.MULTILINE))
    assert table == variables_read()


def test_env_example_lists_every_environment_variable_the_settings_read():
    lines = (ROOT / ".env.example").read_text().splitlines()
    names = {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}
    assert names == variables_read()
