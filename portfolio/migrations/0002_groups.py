"""Creates the programme leader and KOMBIT staff groups with their permissions."""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ALL = [
    ("portfolio", "municipality"), ("portfolio", "supportsystem"), ("portfolio", "material"),
    ("portfolio", "interface"), ("portfolio", "project"), ("portfolio", "interfaceusage"),
    ("portfolio", "event"), ("klik", "task"), ("klik", "municipalitytask"),
    ("klik", "municipalitytaskchange"), ("rollegalleri", "role"),
    ("rollegalleri", "projectrole"), ("rollegalleri", "person"),
    ("rollegalleri", "roleassignment"),
]
PROGRAMME_LEADER_EXTRA = [
    ("change", "klik", "municipalitytask"),
    ("add", "rollegalleri", "person"), ("change", "rollegalleri", "person"),
    ("add", "rollegalleri", "roleassignment"), ("change", "rollegalleri", "roleassignment"),
]


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so the groups can get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perm(action, app_label, model):
        return Permission.objects.get(
            content_type__app_label=app_label, codename=f"{action}_{model}"
        )

    view = [perm("view", app, model) for app, model in VIEW_ALL]
    staff, _ = Group.objects.get_or_create(name=settings.KOMBIT_STAFF_GROUP)
    staff.permissions.set(view)
    leaders, _ = Group.objects.get_or_create(name=settings.PROGRAMME_LEADER_GROUP)
    leaders.permissions.set(view + [perm(*p) for p in PROGRAMME_LEADER_EXTRA])


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
