"""`make run` (manage.py run_all): the stand-in e-parliament's port is configurable like the
site's, and the demo registers its webhook endpoint at that same port."""

import importlib
import io

import pytest
from django.core.management import CommandError, call_command


class FakeProcess:
    """A process that has already exited, so run_all's watch loop ends at once."""

    started: list[list[str]] = []

    def __init__(self, args):
        self.args = args
        self.returncode = 0
        FakeProcess.started.append(args)

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
