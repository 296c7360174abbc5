"""Delete couple content past each organization's retention period (also part of run_maintenance)."""

from django.core.management.base import BaseCommand

from realtime.services.retention import purge_expired


class Command(BaseCommand):
    help = "Delete couples' content, names and requests of workshops past their organization's retention period."

    def handle(self, *args, **options):
        self.stdout.write(f"workshops purged: {purge_expired()}")
