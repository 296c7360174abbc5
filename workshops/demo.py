"""Demo data: the logins and workshops that `make run` shows. Local use only; idempotent."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from workshops.models import Membership, Organization, Program, Workshop
from workshops.services import enrollment, organizations, scheduling

DEMO_PASSWORD = "attune-demo"
DEMO_ORG_SLUG = "demo-collective"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str


DEMO_STAFF = [
    DemoLogin("organizer@demo.attune.local", DEMO_PASSWORD, "owner"),
    DemoLogin("facilitator@demo.attune.local", DEMO_PASSWORD, "facilitator"),
]
DEMO_COUPLES = ["Robin", "Sam", "Alex"]
DEMO_LIVE_TITLE = "Speaking up safely (demo)"


def _staff(user_model, login):
    user, created = user_model.objects.get_or_create(
        username=login.email, defaults={"email": login.email, "first_name": login.role.title()}
    )
    if created:
        user.set_password(login.password)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def load_demo(*, user_model):
    owner, facilitator = (_staff(user_model, login) for login in DEMO_STAFF)
    org = Organization.objects.filter(slug=DEMO_ORG_SLUG).first()
    if org is None:
        org = organizations.organization_create(name="Demo Collective", owner=owner, timezone_name="Europe/Berlin")
        org.slug = DEMO_ORG_SLUG
        org.save(update_fields=["slug"])
    Membership.objects.get_or_create(organization=org, user=facilitator, defaults={"role": "facilitator"})
    if not Workshop.objects.filter(organization=org).exists():
        _demo_workshops(org, facilitator)
    _ensure_live_session(org)
    return DEMO_STAFF


def _ensure_live_session(org):
    """Keep one demo session on now, so each `make run` can try the live apps at once."""
    evening = Workshop.objects.filter(organization=org, title=DEMO_LIVE_TITLE).first()
    now = timezone.now()
    if evening is None or evening.sessions.filter(ends_at__gt=now).exists():
        return
    start = now.replace(second=0, microsecond=0) - timedelta(minutes=10)
    scheduling.session_create(workshop=evening, starts_at=start, ends_at=start + timedelta(minutes=120))


def _demo_workshops(org, facilitator):
    now = timezone.now()
    online = Program.objects.get(organization=None, key="online-90")
    evening = scheduling.workshop_create(
        organization=org,
        program=online,
        title=DEMO_LIVE_TITLE,
        timezone_name=org.timezone,
        capacity_couples=12,
        format="online",
        video_link="https://video.example/attune-demo",
    )
    _ensure_live_session(org)
    scheduling.workshop_set_facilitators(workshop=evening, users=[facilitator])
    scheduling.workshop_publish(workshop=evening)
    for name in DEMO_COUPLES:
        enrollment.registration_submit(
            workshop=evening, contact_email=f"{name.lower()}@demo.attune.local", display_name=name
        )

    retreat_program = Program.objects.get(organization=None, key="retreat-2-day")
    retreat = scheduling.workshop_create(
        organization=org,
        program=retreat_program,
        title="Shared power retreat (demo)",
        timezone_name=org.timezone,
        capacity_couples=8,
        format="in_person",
        venue="Lakeside House",
    )
    first_day = (now + timedelta(days=21)).replace(hour=8, minute=0, second=0, microsecond=0)
    for offset, (hour, hours) in enumerate([(0, 3), (5, 3), (24, 4)]):
        starts = first_day + timedelta(hours=hour)
        scheduling.session_create(
            workshop=retreat, starts_at=starts, ends_at=starts + timedelta(hours=hours), title=f"Part {offset + 1}"
        )
    scheduling.workshop_publish(workshop=retreat)
