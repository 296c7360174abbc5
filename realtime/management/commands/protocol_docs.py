from django.core.management.base import BaseCommand

from realtime import protocol_docs


class Command(BaseCommand):
    help = (
        "Write docs/protocol.md's message tables and frontend/src/shared/protocol.schema.json from the live "
        "command registry and the step kinds (then run `npm run protocol` in frontend/ for protocol.ts)."
    )

    def handle(self, *args, **options):
        changed = protocol_docs.write()
        for path in changed:
            self.stdout.write(f"wrote {path.relative_to(protocol_docs.ROOT)}")
        if not changed:
            self.stdout.write("up to date")
