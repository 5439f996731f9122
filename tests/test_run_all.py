"""`make run` (manage.py run_all): the stand-in e-parliament's port is configurable like the
site's, and the demo registers its webhook endpoint at that same port."""

import importlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from sovaz.management.commands.run_all import background


class FakeProcess:
    """A process that has already exited, so run_all's watch loop ends at once."""

    started: list[list[str]] = []

    site_urls: list[str | None] = []

    def __init__(self, args):
        self.args = args
        self.returncode = 0
        FakeProcess.started.append(args)
        FakeProcess.site_urls.append(os.environ.get("SITE_URL"))

    def poll(self):
        return 0

    def wait(self, timeout=None):
        return 0

    def send_signal(self, sig): ...
    def terminate(self): ...
    def kill(self): ...


@pytest.fixture
def started(monkeypatch):
    FakeProcess.started = []
    monkeypatch.setattr("subprocess.Popen", FakeProcess)
    return FakeProcess.started


def _receiver_args(started):
    return next(args for args in started if "fake_eparliament" in args)


def test_the_receiver_runs_on_8001_by_default(started, monkeypatch):
    monkeypatch.delenv("RECEIVER_PORT", raising=False)
    call_command("run_all", stdout=io.StringIO(), stderr=io.StringIO())
    assert _receiver_args(started)[-2:] == ["--port", "8001"]


def test_receiver_port_comes_from_the_environment(started, monkeypatch):
    monkeypatch.setenv("RECEIVER_PORT", "9101")
    out = io.StringIO()
    call_command("run_all", stdout=out, stderr=io.StringIO())
    assert _receiver_args(started)[-2:] == ["--port", "9101"]
    assert "http://127.0.0.1:9101/" in out.getvalue()


@pytest.mark.parametrize(
    ("host", "expected"),
    [("127.0.0.1", "http://127.0.0.1:8040"), ("0.0.0.0", "http://127.0.0.1:8040")],  # noqa: S104
)
def test_links_in_e_mails_follow_the_port_served_on(started, monkeypatch, host, expected):
    """`make run PORT=8040`: the workers' e-mails link to port 8040, not the default 8000."""
    monkeypatch.setenv("SITE_URL", "placeholder")
    monkeypatch.delenv("SITE_URL")  # restored (removed) after the test
    FakeProcess.site_urls = []
    call_command(
        "run_all", "--host", host, "--port", "8040", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert FakeProcess.site_urls and set(FakeProcess.site_urls) == {expected}


def test_a_site_url_that_is_set_is_kept(started, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://sovaz.example.uz")
    FakeProcess.site_urls = []
    call_command("run_all", "--port", "8040", stdout=io.StringIO(), stderr=io.StringIO())
    assert set(FakeProcess.site_urls) == {"https://sovaz.example.uz"}


def test_receiver_port_option_wins(started):
    call_command("run_all", "--receiver-port", "9102", stdout=io.StringIO(), stderr=io.StringIO())
    assert _receiver_args(started)[-2:] == ["--port", "9102"]


@pytest.mark.parametrize("receiver_port", ["8000", "eighty"])
def test_a_receiver_port_that_cannot_work_is_refused(started, receiver_port):
    with pytest.raises(CommandError, match="RECEIVER_PORT"):
        call_command("run_all", "--port", "8000", "--receiver-port", receiver_port)
    assert started == []


@pytest.fixture
def demo_module(monkeypatch):
    """eparliament.demo as imported under a given RECEIVER_PORT; restored afterwards."""
    from eparliament import demo

    def load_with(port: str | None):
        if port is None:
            monkeypatch.delenv("RECEIVER_PORT", raising=False)
        else:
            monkeypatch.setenv("RECEIVER_PORT", port)
        return importlib.reload(demo)

    yield load_with
    monkeypatch.delenv("RECEIVER_PORT", raising=False)
    importlib.reload(demo)


@pytest.mark.django_db
def test_the_demo_webhook_follows_receiver_port(demo_module):
    from eparliament.models import Endpoint

    demo_module(None).load()
    assert Endpoint.objects.get(active=True).url == "http://127.0.0.1:8001/"
    demo_module("9103").load()
    # Only the receiver that now runs gets deliveries.
    assert Endpoint.objects.get(active=True).url == "http://127.0.0.1:9103/"
    assert Endpoint.objects.filter(url="http://127.0.0.1:8001/", active=False).exists()


def test_a_terminate_signal_stops_every_process_it_started(tmp_path):
    """`kill` (SIGTERM), as from a service manager or another shell, stops run_all's children
    as Ctrl-C does, instead of leaving them holding the ports. The children here are real
    processes standing in for Daphne and the workers."""
    pids = tmp_path / "pids"
    script = tmp_path / "run.py"
    script.write_text(
        "import os, subprocess, sys\n"
        "import django\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'sovaz.settings'\n"
        "django.setup()\n"
        "real_popen = subprocess.Popen\n"
        "def popen(args, *rest, **options):\n"
        "    child = real_popen([sys.executable, '-c', 'import time; time.sleep(120)'],\n"
        "                       stderr=subprocess.DEVNULL)\n"
        f"    with open({str(pids)!r}, 'a') as out:\n"
        "        out.write(f'{child.pid}\\n')\n"
        "    return child\n"
        "subprocess.Popen = popen\n"
        "from django.core.management import call_command\n"
        "call_command('run_all', '--port', '8999', '--receiver-port', '8998')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = str(settings.BASE_DIR)
    runner = subprocess.Popen(
        [sys.executable, str(script)],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        expected = 1 + len(background("8998"))  # the web server and each background process
        deadline = time.monotonic() + 30
        # Polling another process until it has started everything, bounded by the deadline.
        while time.monotonic() < deadline and (
            not pids.exists() or len(pids.read_text().split()) < expected
        ):
            assert runner.poll() is None, "run_all exited before starting its processes"
            time.sleep(0.05)
        children = [int(pid) for pid in pids.read_text().split()]
        assert len(children) == expected
        runner.send_signal(signal.SIGTERM)
        assert runner.wait(timeout=20) == 0
        still_running = [pid for pid in children if _alive(pid)]
        assert still_running == []
    finally:
        runner.kill()
        for pid in pids.read_text().split() if pids.exists() else []:
            if _alive(int(pid)):
                os.kill(int(pid), signal.SIGKILL)


def _alive(pid: int) -> bool:
    """Running and not a zombie (children of run_all are reaped by it; a zombie is not one)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"
