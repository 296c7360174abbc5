"""Install the built-in exercise library and programs (workshops/library_content.py).

A later content change adds a migration that calls the same installer: it is
idempotent, keyed by each exercise's and program's `key`.
"""

from django.db import migrations


def install(apps, schema_editor):
    from workshops import library_content
    from workshops.services.library import install_builtin_library

    install_builtin_library(
        exercise_model=apps.get_model("workshops", "Exercise"),
        step_model=apps.get_model("workshops", "Step"),
        program_model=apps.get_model("workshops", "Program"),
        item_model=apps.get_model("workshops", "ProgramItem"),
        content=library_content,
    )


def remove(apps, schema_editor):
    apps.get_model("workshops", "Program").objects.filter(organization=None).delete()
    apps.get_model("workshops", "Exercise").objects.filter(organization=None).delete()


class Migration(migrations.Migration):
    dependencies = [("workshops", "0002_offer_created_at")]
    operations = [migrations.RunPython(install, remove)]
