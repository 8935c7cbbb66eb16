"""A person's own login: set on the person page (own municipality's logins only) and shown."""

import pytest

from rollegalleri.models import Person
from tests.factories import PersonFactory, ProgrammeLeaderFactory

pytestmark = pytest.mark.django_db


def edit(client, person, **data):
    return client.post(
        f"/roller/personer/{person.pk}/rediger/",
        {"name": person.name, "email": person.email, **data},
    )


def test_a_programme_leader_links_a_person_to_a_login(leader_client, leader, naestved):
    person = PersonFactory(municipality=naestved, name="Mette Lund")
    assert edit(leader_client, person, user=leader.pk).status_code == 302
    assert Person.objects.get(pk=person.pk).user == leader
    page = leader_client.get(f"/roller/personer/{person.pk}/").content.decode()
    assert f"({leader.username})</dd>" in page
    assert edit(leader_client, person, user="").status_code == 302
    assert Person.objects.get(pk=person.pk).user is None


def test_another_municipalitys_login_cannot_be_linked(leader_client, naestved, hoersholm):
    person = PersonFactory(municipality=naestved)
    stranger = ProgrammeLeaderFactory(username="fremmed", municipality=hoersholm)
    response = edit(leader_client, person, user=stranger.pk)
    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed" in response.content.decode()
    assert Person.objects.get(pk=person.pk).user is None


def test_the_model_refuses_a_login_of_another_municipality(naestved, hoersholm):
    from django.core.exceptions import ValidationError

    from rollegalleri.models import PERSON_LOGIN_OTHER_MUNICIPALITY

    person = PersonFactory(municipality=naestved)
    person.user = ProgrammeLeaderFactory(username="fremmed", municipality=hoersholm)
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert error.value.message_dict["user"] == [str(PERSON_LOGIN_OTHER_MUNICIPALITY)]
