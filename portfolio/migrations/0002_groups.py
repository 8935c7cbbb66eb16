"""Creates the programme leader and KOMBIT staff groups with their permissions."""

from django.conf import settings
from django.db import migrations

from portfolio.groups import groups_ensure


def create_groups(apps, schema_editor):
    groups_ensure(apps, using=schema_editor.connection.alias)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(
        name__in=[settings.KOMBIT_STAFF_GROUP, settings.PROGRAMME_LEADER_GROUP]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0001_initial"),
        ("klik", "0001_initial"),
        ("rollegalleri", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
