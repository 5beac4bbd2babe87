"""Every page needs a signed-in user; the login page itself does not."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.offline import external_assets


def _urls(incident):
    pk = incident.pk
    return [
        "/",
        "/incidents/new/",
        f"/incidents/{pk}/",
        f"/incidents/{pk}/header/edit/",
        f"/incidents/{pk}/summary/",
        f"/incidents/{pk}/summary/edit/",
        f"/incidents/{pk}/narrative/edit/",
        f"/incidents/{pk}/timeline/",
        f"/incidents/{pk}/timeline/add/",
        f"/incidents/{pk}/factors/add/",
        f"/incidents/{pk}/lessons/add/went_well/",
        f"/incidents/{pk}/actions/add/",
        f"/incidents/{pk}/export.md",
        "/account/tokens/",
    ]


@pytest.mark.django_db
def test_it_redirects_logged_out_users_to_login(incident):
    client = Client()
    for url in _urls(incident):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


@pytest.mark.django_db
def test_it_redirects_logged_out_posts_too(incident):
    client = Client()
    for url in _urls(incident):
        response = client.post(url, {"title": "x"})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.django_db
def test_it_shows_the_login_page_without_a_cdn():
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="login-form"' in body
    assert "/static/django_htmx/htmx" in body
    assert external_assets(body) == []
    assert external_assets('<script src="https://unpkg.com/htmx.org"></script>') != []


@pytest.mark.django_db
def test_it_signs_in_and_lands_on_the_list(owner):
    from tests.conftest import PASSWORD

    client = Client()
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("postmortem-list")


@pytest.mark.django_db
def test_it_signs_out_with_a_post(login, owner):
    client = login(owner)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_it_keeps_healthz_open(db):
    assert Client().get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_it_sends_htmx_requests_to_a_full_page_login(incident):
    response = Client().get(
        f"/incidents/{incident.pk}/summary/edit/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver/incidents/{incident.pk}/",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/login/?next=/incidents/{incident.pk}/"
