import pytest
from django.urls import reverse

from sovaz.accounts.models import User
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

GOOD = {
    "full_name": "Oʻgʻiloy Toʻxtayeva",
    "email": "Ogiloy@Example.UZ",
    "kind": "citizen",
    "organisation": "",
    "password": "a long and private passphrase",
}


def test_citizen_registers_and_is_signed_in_with_name_stored_exactly():
    client = client_for(None)
    response = client.post(reverse("accounts:register"), GOOD)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "ogiloy@example.uz"
    assert user.full_name == "Oʻgʻiloy Toʻxtayeva"
    assert user.kind == User.Kind.CITIZEN
    assert not (user.is_moderator or user.is_secretariat or user.is_legislator or user.is_staff)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_registration_cannot_claim_an_official_role():
    response = client_for(None).post(reverse("accounts:register"), {**GOOD, "kind": "official"})
    assert response.status_code == 400
    assert not User.objects.exists()


def test_second_account_with_the_same_email_in_other_case_is_refused(citizen):
    data = {**GOOD, "email": citizen.email.upper()}
    response = client_for(None).post(reverse("accounts:register"), data)
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_weak_password_is_refused_with_a_reason():
    response = client_for(None).post(reverse("accounts:register"), {**GOOD, "password": "12345678"})
    assert response.status_code == 400
    assert "too common" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_registration_never_redirects_off_site(target):
    response = client_for(None).post(reverse("accounts:register"), {**GOOD, "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_is_by_email_in_any_case(citizen):
    client = client_for(None)
    response = client.post(
        reverse("accounts:login"), {"username": citizen.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_business_must_name_its_organisation():
    data = {**GOOD, "kind": "business", "organisation": "  "}
    response = client_for(None).post(reverse("accounts:register"), data)
    assert response.status_code == 400
    assert "Name the business" in response.content.decode()
    assert not User.objects.exists()
