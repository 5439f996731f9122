"""The deliveries admin, the worker command, the stand-in receiver's page and the demo."""

import io
import urllib.request

import pytest
from django.core.management import call_command

from eparliament import demo, services
from eparliament.fake_receiver import serve_in_thread
from eparliament.management.commands.fake_eparliament import _page
from eparliament.models import Alert, Delivery, Endpoint, Export
from sovaz.accounts.models import User
from tests.conftest import client_for
from tests.eparliament.conftest import T0


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create_superuser(email="admin@sovaz.uz", password="x", full_name="Admin")


def test_the_deliveries_list_shows_status_attempts_error_and_open_alerts(
    admin_user, make_endpoint, make_export, secret, django_assert_max_num_queries
):
    make_endpoint("http://127.0.0.1:9/", secret)
    make_export()
    Delivery.objects.update(attempts=3, last_error="HTTP 500 from the receiver")
    Alert.objects.create(kind=Alert.Kind.DEAD_LETTER, message="Gave up on msg_x")
    client = client_for(admin_user)
    with django_assert_max_num_queries(15):
        response = client.get("/admin/eparliament/delivery/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "HTTP 500 from the receiver" in page and "Gave up on msg_x" in page


def test_the_resend_action_queues_the_same_webhook_id_again(
    admin_user, make_endpoint, make_export, secret
):
    make_endpoint("http://127.0.0.1:9/", secret)
    make_export()
    Delivery.objects.update(status="dead", attempts=12)
    delivery = Delivery.objects.get()
    response = client_for(admin_user).post(
        "/admin/eparliament/delivery/",
        {"action": "resend", "_selected_action": [delivery.pk]},
    )
    assert response.status_code == 302
    again = Delivery.objects.get()
    assert (again.status, again.attempts, again.webhook_id) == ("pending", 0, delivery.webhook_id)


def test_staff_without_superuser_may_not_allow_private_addresses(admin_user, db):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = User(is_staff=True, is_superuser=False)
    assert "allow_private" in site._registry[Endpoint].get_readonly_fields(request)
    request.user = admin_user
    assert "allow_private" not in site._registry[Endpoint].get_readonly_fields(request)


def test_the_deliver_command_delivers_what_is_due(receivers, make_endpoint, make_export, secret):
    server = receivers(secret=secret)
    make_endpoint(server.url, secret)
    make_export()
    out = io.StringIO()
    call_command("deliver", stdout=out)
    assert "delivered 1" in out.getvalue()
    assert len(server.inbox.messages) == 1


def test_the_stand_in_receivers_page_shows_what_arrived(make_endpoint, make_export, secret):
    server = serve_in_thread(secret=secret, page=_page)
    try:
        make_endpoint(server.url, secret)
        make_export()
        services.deliveries_run(now=T0)
        html = urllib.request.urlopen(server.url, timeout=5).read().decode()
    finally:
        server.shutdown()
        server.server_close()
    webhook_id = Delivery.objects.get().webhook_id
    assert webhook_id in html and "ID-2026-0001" in html


def test_the_stand_in_receiver_rejects_a_bad_signature(receivers, secret):
    server = receivers(secret=secret)
    server.expect_rejections = True
    request = urllib.request.Request(
        server.url,
        data=b"{}",
        method="POST",
        headers={
            "webhook-id": "msg_forged",
            "webhook-timestamp": "1",
            "webhook-signature": "v1,AAAA",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=5)
    assert info.value.code == 401
    assert server.inbox.messages == {}


def test_the_demo_configures_the_local_receiver_once_and_exports_closed_rounds(golden_round):
    demo.load()
    demo.load()
    endpoint = Endpoint.objects.get()
    assert endpoint.allow_private and endpoint.url == demo.FAKE_URL
    assert endpoint.secret == demo.demo_secret()
    assert Export.objects.filter(round=golden_round).count() == 1
    assert Delivery.objects.count() == 1


def test_an_administrator_adds_a_loopback_endpoint_only_by_allowing_it(admin_user):
    client = client_for(admin_user)
    form = {"name": "Local", "url": "http://127.0.0.1:8001/", "secret": "", "active": "on"}
    refused = client.post("/admin/eparliament/endpoint/add/", form)
    assert refused.status_code == 200 and not Endpoint.objects.exists()
    assert "non-public address" in refused.content.decode()
    allowed = client.post("/admin/eparliament/endpoint/add/", {**form, "allow_private": "on"})
    assert allowed.status_code == 302
    endpoint = Endpoint.objects.get()
    assert endpoint.secret.startswith("whsec_") and endpoint.allow_private
