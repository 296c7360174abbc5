"""Reading sent e-mail in tests. E-mails are queued (workshops.mail_queue); `mailbox()` first sends the queue with
the worker's own function, as `run_maintenance` does, then returns Django's test outbox."""

from django.core import mail

from workshops import mail_queue


def mailbox():
    """Every e-mail sent so far in this test, the queue delivered first."""
    mail_queue.deliver_queued()
    return mail.outbox
