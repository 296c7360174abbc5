"""Periodic upkeep that no request should wait for: expired waitlist offers pass to the next couple, and couple
content past its organization's retention period is deleted.

Nothing depends on this running on time (every read of a waitlist applies
expiry too); it makes sure the next couple is e-mailed promptly.
Run once, or with --every SECONDS as the production topology's `maintenance` service.
"""

import time

from django.core.management.base import BaseCommand

from realtime.services.retention import prune_bookkeeping, purge_expired
from workshops.services.enrollment import waitlist_refresh_all


class Command(BaseCommand):
    help = "Apply expired waitlist offers and purge couple content past retention. --every N repeats."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: run once)")

    def handle(self, *args, every, **options):
        while True:
            refreshed = waitlist_refresh_all()
            purged = purge_expired()
            prune_bookkeeping()
            self.stdout.write(f"waitlists refreshed: {refreshed}; workshops purged of couple content: {purged}")
            if every <= 0:
                return
            time.sleep(every)
