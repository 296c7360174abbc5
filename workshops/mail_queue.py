"""The outgoing e-mail queue: django-post-office keeps it in the database.

A request never talks to the mail server. `workshops.emails` writes each e-mail
(and its .ics) as rows in the transaction of the change it reports, so a
rolled-back registration leaves nothing to send; `deliver_queued` (run every
few seconds by `run_maintenance`) sends what is due through EMAIL_BACKEND, and a
failed attempt is retried MAIL_MAX_RETRIES times, MAIL_RETRY_SECONDS apart.
Rows are deleted MAIL_KEEP_HOURS after they were queued once they are sent or
given up on (`purge_old`): their bodies hold capability links and names.

Models are imported inside the functions: the logging filter below is loaded
with the settings, before Django's apps are ready.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

# PostgreSQL advisory lock key of the sender (any fixed number unique to this purpose).
SENDER_LOCK_KEY = 0x6D61696C  # "mail"


def deliver_queued():
    """Send every queued e-mail that is due. Returns (sent, failed for good, requeued for a retry).

    One sender at a time: post_office does not lock the rows it picks, so two maintenance processes sharing a
    PostgreSQL database (a second one started by hand, or overlapping during a deploy) could both send the same
    e-mail. On PostgreSQL the sender holds an advisory lock; a second sender finds it taken and sends nothing.
    """
    from post_office.mail import send_queued

    if connection.vendor != "postgresql":
        return send_queued(processes=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [SENDER_LOCK_KEY])
        if not cursor.fetchone()[0]:
            return (0, 0, 0)
    try:
        return send_queued(processes=1)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [SENDER_LOCK_KEY])


def purge_old(now=None):
    """Delete e-mails queued more than MAIL_KEEP_HOURS ago that are sent, failed for good or past their expiry,
    and the attachments no e-mail uses any more. Returns the number of e-mails deleted."""
    from post_office.models import STATUS, Attachment, Email

    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.MAIL_KEEP_HOURS)
    finished = Q(status__in=[STATUS.sent, STATUS.failed]) | Q(expires_at__lte=now)
    deleted, per_model = Email.objects.filter(finished, created__lt=cutoff).delete()
    for attachment in Attachment.objects.filter(emails=None):
        attachment.file.delete(save=False)
        attachment.delete()
    return per_model.get("post_office.Email", 0)


class ExceptionClassOnlyFilter(logging.Filter):
    """For the mail queue's logger: a failure keeps its message (the e-mail's id) and the exception's class, never
    its text or traceback, which can quote the recipient's address."""

    def filter(self, record):
        if record.exc_info and record.exc_info[0] is not None:
            record.msg = f"{record.getMessage()} ({record.exc_info[0].__name__})"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
