from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithMunicipalityBackend(ModelBackend):
    """Loads the session's user with its municipality and groups, which every page shows."""

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.select_related("municipality")
            .prefetch_related("groups")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
