from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("klik", "0008_pendingimport"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="municipalitytask",
            index=models.Index(fields=["updated_at", "id"], name="mtask_updated_idx"),
        ),
    ]
