"""Demo data for `make run`: idempotent, so a second run changes nothing."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from workshops import demo, mail_queue


class Command(BaseCommand):
    help = "Create (or keep) the demo organization, staff logins and workshop."

    def handle(self, *args, **options):
        logins = demo.load_demo(user_model=get_user_model())
        # The demo couples' e-mails (with their personal links) are printed now, not by the next maintenance round.
        mail_queue.deliver_queued()
        for login in logins:
            self.stdout.write(f"  demo login: {login.email} / {login.password}  ({login.role})")
