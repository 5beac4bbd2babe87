"""The 5 Whys editor's buttons post numbers (versions, step ids): garbage or a number
beyond the database's integers is a 422 that says so, never a 500 (issue 14.8); each
request is one service call under the tree's version."""

from __future__ import annotations

import pytest

from kintsugi.five_whys.models import WhyNode
from kintsugi.postmortems import services as pm
from tests.web.conftest import HTMX
from tests.web.test_five_whys import add, base, chain, version

BAD = ["abc", "-1", "1.5", "99999999999999999999999", str(2**63), "١٢"]


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("path", ["delete/", "move/up/", "branch/up/", "root-cause/"])
def test_a_bad_version_on_a_button_is_a_422_naming_it(login, owner, incident, path, value):
    last = chain(owner, incident, 2)
    before = version(incident)
    response = login(owner).post(base(incident) + f"{last.pk}/{path}", {"version": value}, **HTMX)
    assert response.status_code == 422, (path, value, response.status_code)
    assert "not a whole number" in response.content.decode()
    assert WhyNode.objects.count() == 2 and version(incident) == before


@pytest.mark.parametrize("field", ["node", "parent"])
def test_the_live_check_refuses_a_bad_step_id_with_422(login, owner, incident, field):
    chain(owner, incident, 1)
    response = login(owner).post(base(incident) + "check/",
                                 {field: "9" * 30, "answer": "x"}, **HTMX)  # fmt: skip
    assert response.status_code == 422
    assert "not a whole number" in response.content.decode()


def test_adding_under_a_step_that_is_not_there_is_a_422_naming_it(login, owner, incident):
    chain(owner, incident, 1)
    response = add(login(owner), incident, parent=999999, question="Why?", answer="Because.")
    assert response.status_code == 422
    assert "no step with id 999999" in response.content.decode()
    assert WhyNode.objects.count() == 1


def test_links_to_a_stale_tree_are_a_409_and_nothing_changes(login, owner, incident):
    last = chain(owner, incident, 3)
    factor = pm.factor_add(user=owner, incident=incident, title="Expired credentials")
    stale = version(incident) - 1
    response = login(owner).post(base(incident) + f"{last.pk}/links/", {
        "version": stale, "factors": [factor.pk], "action_items": [],
    }, **HTMX)  # fmt: skip
    assert response.status_code == 409
    assert list(last.factors.all()) == []
