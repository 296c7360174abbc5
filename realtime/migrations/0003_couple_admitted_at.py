from django.db import migrations, models


def admit_walk_ins_already_in(apps, schema_editor):
    """Walk-in couples that joined before admission existed stay admitted: their facilitator saw them come in,
    and taking their place in open questions away mid-session would surprise them."""
    Couple = apps.get_model("realtime", "Couple")
    Couple.objects.filter(enrollment__isnull=True, admitted_at__isnull=True).update(admitted_at=models.F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("realtime", "0002_sealed_couple_content"),
    ]

    operations = [
        migrations.AddField(
            model_name="couple",
            name="admitted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(admit_walk_ins_already_in, migrations.RunPython.noop),
    ]
