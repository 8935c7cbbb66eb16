"""The two user groups and their permissions, made by a data migration and kept after flushes."""

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions

VIEW_ALL = [
    ("portfolio", "municipality"),
    ("portfolio", "supportsystem"),
    ("portfolio", "material"),
    ("portfolio", "interface"),
    ("portfolio", "project"),
    ("portfolio", "interfaceusage"),
    ("portfolio", "event"),
    ("klik", "task"),
    ("klik", "municipalitytask"),
    ("klik", "municipalitytaskchange"),
    ("rollegalleri", "role"),
    ("rollegalleri", "projectrole"),
    ("rollegalleri", "person"),
    ("rollegalleri", "roleassignment"),
]
PROGRAMME_LEADER_EXTRA = [
    ("change", "klik", "municipalitytask"),
    ("add", "rollegalleri", "person"),
    ("change", "rollegalleri", "person"),
    ("add", "rollegalleri", "roleassignment"),
    ("change", "rollegalleri", "roleassignment"),
]


def groups_ensure(apps, using="default"):
    """Create the KOMBIT staff and programme leader groups with their permissions.

    `apps` is a migration's app registry or the global one; permissions are made first,
    because Django normally makes them only after migrate.
    """
    for app_config in apps.get_app_configs():
        # A migration's registry holds stubs that create_permissions would skip.
        stub = getattr(app_config, "models_module", None) is None
        if stub:
            app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
        if stub:
            app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perm(action, app_label, model):
        return Permission.objects.using(using).get(
            content_type__app_label=app_label, codename=f"{action}_{model}"
        )

    view = [perm("view", app, model) for app, model in VIEW_ALL]
    staff, _ = Group.objects.using(using).get_or_create(name=settings.KOMBIT_STAFF_GROUP)
    staff.permissions.set(view)
    leaders, _ = Group.objects.using(using).get_or_create(name=settings.PROGRAMME_LEADER_GROUP)
    leaders.permissions.set(view + [perm(*p) for p in PROGRAMME_LEADER_EXTRA])


def groups_ensure_after_migrate(sender, using, apps=global_apps, **kwargs):
    """post_migrate receiver: a flush (as transactional tests do) must not lose the groups."""
    groups_ensure(apps, using=using)
