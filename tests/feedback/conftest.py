import pytest
from django.utils import timezone

from realtime.models import Couple, Participant
from realtime.services import spaces
from realtime.services.session import state_for
from tests import factories
from tests.realtime.conftest import custom_live, live  # noqa: F401 - shared fixtures


class Room:
    """A session with couples made directly (no sockets): for the storage and release rules."""

    def __init__(self, k=5):
        self.org = factories.organization()
        if k != 5:
            self.org.anonymity_k = k
            self.org.save(update_fields=["anonymity_k"])
        self.workshop = factories.published_workshop(self.org, capacity=40)
        self.session = self.workshop.sessions.get()
        self.state = state_for(self.session)

    def couple(self, names=("A", "B"), *, admitted=True, one_phone=False, session=None):
        """A couple in the session (its space made, as when it forms there; `session`: another of the workshop's),
        admitted by default: a walk-in couple a facilitator admitted, so it can answer the prompts that open from
        now on."""
        couple = Couple.objects.create(
            workshop=self.workshop, one_phone=one_phone, admitted_at=timezone.now() if admitted else None
        )
        spaces.make_spaces(session or self.session, [couple.pk])
        return [
            Participant.objects.create(
                workshop=self.workshop,
                couple=couple,
                display_name=name,
                consented_at=timezone.now(),
                feedback_consent=True,
            )
            for name in names
        ]

    def couples(self, count):
        """Everyone of `count` new couples, in order."""
        return [person for _ in range(count) for person in self.couple()]

    def walk_in(self, name="W"):
        """A participant in no couple yet."""
        return Participant.objects.create(
            workshop=self.workshop, display_name=name, consented_at=timezone.now(), feedback_consent=True
        )


@pytest.fixture
def room():
    return Room()
