from django.db import migrations, models


def freeze_open_prompts(apps, schema_editor):
    """Prompts open before eligibility existed: the couples that could answer them then (not removed, in the
    session) stay the ones that can."""
    Prompt = apps.get_model("feedback", "Prompt")
    CoupleSpace = apps.get_model("realtime", "CoupleSpace")
    for prompt in Prompt.objects.filter(state="open"):
        couples = CoupleSpace.objects.filter(session_id=prompt.session_id, couple__removed_at__isnull=True)
        prompt.eligible = sorted(couples.values_list("couple_id", flat=True))
        prompt.walk_ins = couples.filter(couple__enrollment__isnull=True).count()
        prompt.save(update_fields=["eligible", "walk_ins"])


def count_released_couples(apps, schema_editor):
    Prompt = apps.get_model("feedback", "Prompt")
    Receipt = apps.get_model("feedback", "Receipt")
    for prompt in Prompt.objects.filter(releases__isnull=False).distinct():
        receipts = Receipt.objects.filter(prompt=prompt, answered=True, released=True, couple_id_at_answer__isnull=False)
        prompt.released_couples = receipts.values("couple_id_at_answer").distinct().count()
        prompt.save(update_fields=["released_couples"])


class Migration(migrations.Migration):

    dependencies = [
        ("feedback", "0002_sealed_pending_set_and_partners"),
        ("realtime", "0003_couple_admitted_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="prompt",
            name="eligible",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="prompt",
            name="walk_ins",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="prompt",
            name="released_couples",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(freeze_open_prompts, migrations.RunPython.noop),
        migrations.RunPython(count_released_couples, migrations.RunPython.noop),
    ]
