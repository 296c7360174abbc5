"""Periodic work that no request should wait for, on two cadences:

- mail, every --mail-every seconds (default 5): queued e-mails are sent, failed ones retried when due
  (workshops.mail_queue);
- upkeep, every --every seconds: expired waitlist offers pass to the next couple, reminders due before a session
  are queued (once per couple and reminder), couple content and enrollments
  (contacts, answers) past their organization's retention period are deleted, old bookkeeping and sent e-mails
  are forgotten.

Nothing depends on upkeep running on time (every read of a waitlist applies expiry too); it makes sure the next
couple is e-mailed promptly. Each job is isolated: one that raises is logged (its name and the exception's class,
never the message, which could quote data) and the others, and the next round, still run.
Run once (no --every), or with --every SECONDS as the production topology's `maintenance` service and beside
`make run`'s server.
"""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from realtime.services.retention import prune_bookkeeping, purge_expired
from workshops import mail_queue
from workshops.services.enrollment import waitlist_refresh_all
from workshops.services.reminders import reminders_send_due
from workshops.services.retention import purge_enrollments

logger = logging.getLogger("attune.maintenance")

UPKEEP_JOBS = (
    ("waitlist_expiry", waitlist_refresh_all),
    ("session_reminders", reminders_send_due),
    ("retention_purge", purge_expired),
    ("enrollment_purge", purge_enrollments),
    ("bookkeeping_prune", prune_bookkeeping),
    ("mail_purge", mail_queue.purge_old),
)
MAIL_JOB = ("mail_delivery", mail_queue.deliver_queued)


def run_job(name, job):
    """Run one job; a failure is logged and swallowed so the round goes on. Returns (ok, result)."""
    try:
        return True, job()
    except Exception as exc:
        logger.error("maintenance job %s failed: %s", name, type(exc).__name__)
        return False, None
    finally:
        # A dropped database connection (a restart, a failover) is replaced before the next job, not reused
        # forever. A connection inside a caller's transaction (a test's) is not ours to close.
        if not connection.in_atomic_block:
            close_old_connections()


class Command(BaseCommand):
    help = (
        "Send queued e-mail, apply expired waitlist offers, purge couple content past retention and old e-mail. "
        "--every N repeats the upkeep every N seconds, sending mail every --mail-every seconds in between."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat upkeep every N seconds (0: run once)")
        parser.add_argument(
            "--mail-every", type=int, default=5, help="with --every: send queued e-mail every N seconds (default 5)"
        )

    def handle(self, *args, every, mail_every, **options):
        if mail_every < 1:
            raise CommandError("--mail-every must be at least 1 second.")
        if every <= 0:
            self.upkeep()
            self.mail()
            return
        next_upkeep = next_mail = time.monotonic()
        while True:
            if time.monotonic() >= next_upkeep:
                self.upkeep()
                next_upkeep = time.monotonic() + every
                next_mail = 0  # what upkeep queued (offers, "passed on" notes) goes out now
            if time.monotonic() >= next_mail:
                self.mail()
                next_mail = time.monotonic() + mail_every
            time.sleep(max(0.0, min(next_upkeep, next_mail) - time.monotonic()))

    def upkeep(self):
        results = {name: run_job(name, job) for name, job in UPKEEP_JOBS}
        report = "; ".join(
            f"{name}: {('done' if result is None else result) if ok else 'failed'}"
            for name, (ok, result) in results.items()
        )
        self.stdout.write(f"upkeep: {report}")

    def mail(self):
        ok, result = run_job(*MAIL_JOB)
        if ok and any(result):
            sent, failed, requeued = result
            self.stdout.write(f"mail: {sent} sent, {requeued} to retry, {failed} given up")
