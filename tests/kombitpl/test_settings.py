"""Production settings refuse to start without a real secret key and allowed hosts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "Zq8#2mVf9!pL0xR4tY7wE1uI3oA5sD6gH"  # 53 characters, not a dev prefix
IMPORT = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def start_with(**env):
    """Import the production settings in a fresh interpreter with exactly these variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean |= {"DJANGO_SETTINGS_MODULE": "kombitpl.settings.prod", **env}
    return subprocess.run(
        [sys.executable, "-c", IMPORT], cwd=ROOT, env=clean, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "env",
    [
        {"DJANGO_ALLOWED_HOSTS": "kombitpl.example.org"},
        {"DJANGO_SECRET_KEY": "", "DJANGO_ALLOWED_HOSTS": "kombitpl.example.org"},
        {"DJANGO_SECRET_KEY": "too-short", "DJANGO_ALLOWED_HOSTS": "kombitpl.example.org"},
        {"DJANGO_SECRET_KEY": "dev-" + GOOD_KEY, "DJANGO_ALLOWED_HOSTS": "kombitpl.example.org"},
    ],
    ids=["missing", "empty", "short", "dev-key"],
)
def test_production_refuses_to_start_without_a_real_secret_key(env):
    result = start_with(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("hosts", [None, "", " , "], ids=["missing", "empty", "blank"])
def test_production_refuses_to_start_without_allowed_hosts(hosts):
    env = {"DJANGO_SECRET_KEY": GOOD_KEY}
    if hosts is not None:
        env["DJANGO_ALLOWED_HOSTS"] = hosts
    result = start_with(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_a_real_secret_key_and_hosts():
    result = start_with(DJANGO_SECRET_KEY=GOOD_KEY, DJANGO_ALLOWED_HOSTS="kombitpl.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
