"""The user groups and their permissions, made by a data migration and kept after flushes.

KOMBIT staff read everything. In a municipality the programme leader edits tasks, persons and
assignments; the project leader edits tasks only; the reader only reads; the KLIK-administrator
(given with one of those roles) manages the municipality's logins on /brugere/.
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db.models import Q

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
    ("klik", "attachment"),
    ("rollegalleri", "role"),
    ("rollegalleri", "projectrole"),
    ("rollegalleri", "person"),
    ("rollegalleri", "roleassignment"),
]
# KOMBIT staff attach documents to KOMBIT's tasks for every municipality.
KOMBIT_STAFF_EXTRA = [
    ("add", "klik", "attachment"),
    ("delete", "klik", "attachment"),
]
PROGRAMME_LEADER_EXTRA = [
    ("change", "klik", "municipalitytask"),
    ("add", "rollegalleri", "person"),
    ("change", "rollegalleri", "person"),
    ("add", "rollegalleri", "roleassignment"),
    ("change", "rollegalleri", "roleassignment"),
]


PROJECT_LEADER_EXTRA = [
    ("change", "klik", "municipalitytask"),
]
KLIK_ADMIN_PERMISSIONS = [
    ("view", "portfolio", "user"),
    ("add", "portfolio", "user"),
    ("change", "portfolio", "user"),
]


def groups_ensure(apps, using="default"):
    """Create the KOMBIT staff and municipal groups with their permissions.

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

    def perms(triples):
        # An early migration's registry lacks later models; the post_migrate run that follows
        # every migrate gives the groups those permissions too.
        wanted = Q(pk__in=[])
        for action, app_label, model in triples:
            wanted |= Q(content_type__app_label=app_label, codename=f"{action}_{model}")
        return list(Permission.objects.using(using).filter(wanted))

    view = [("view", app, model) for app, model in VIEW_ALL]
    staff, _ = Group.objects.using(using).get_or_create(name=settings.KOMBIT_STAFF_GROUP)
    staff.permissions.set(perms(view + KOMBIT_STAFF_EXTRA))
    leaders, _ = Group.objects.using(using).get_or_create(name=settings.PROGRAMME_LEADER_GROUP)
    leaders.permissions.set(perms(view + PROGRAMME_LEADER_EXTRA))
    project, _ = Group.objects.using(using).get_or_create(name=settings.PROJECT_LEADER_GROUP)
    project.permissions.set(perms(view + PROJECT_LEADER_EXTRA))
    readers, _ = Group.objects.using(using).get_or_create(name=settings.READER_GROUP)
    readers.permissions.set(perms(view))
    admins, _ = Group.objects.using(using).get_or_create(name=settings.KLIK_ADMIN_GROUP)
    admins.permissions.set(perms(KLIK_ADMIN_PERMISSIONS))


def groups_ensure_after_migrate(sender, using, apps=global_apps, **kwargs):
    """post_migrate receiver: a flush (as transactional tests do) must not lose the groups."""
    groups_ensure(apps, using=using)
