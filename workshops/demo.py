"""Demo data: the logins and workshop that `make run` shows. Local use only."""

from dataclasses import dataclass

from django.db import transaction

DEMO_PASSWORD = "attune-demo"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str


DEMO_STAFF = [
    DemoLogin("organizer@demo.attune.local", DEMO_PASSWORD, "organizer"),
    DemoLogin("facilitator@demo.attune.local", DEMO_PASSWORD, "facilitator"),
]


@transaction.atomic
def load_demo(*, user_model):
    for login in DEMO_STAFF:
        user, created = user_model.objects.get_or_create(
            username=login.email, defaults={"email": login.email, "first_name": login.role.title()}
        )
        if created:
            user.set_password(login.password)
            user.save(update_fields=["password"])
    return DEMO_STAFF
