"""`/brugere/`: the municipality's KLIK-administrator manages its logins, without Django admin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from portfolio.filtering import FilterPolicyMixin, refuse_foreign_ids
from portfolio.models import User
from portfolio.paging import DEFAULT_PER_PAGE, BoundedPaginator
from rollegalleri.models import Person

from .filters import UserFilter
from .forms import UserForm
from .services import is_administrator, user_create, user_password_link_send, user_update
from .tables import UserTable

CREATED = _("The user was created. Send them the link to set their password.")
SAVED = _("The user was saved.")
LINK_SENT = _("A link to set the password was sent to %(email)s.")


class AdministratorMixin:
    """403 for anyone but a KLIK-administrator of a municipality; their own users only."""

    def dispatch(self, request, *args, **kwargs):
        if not is_administrator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def municipality_users(self):
        return (
            User.objects.filter(municipality_id=self.request.user.municipality_id)
            .select_related("person")
            .prefetch_related("groups")
        )


class UserListView(AdministratorMixin, FilterPolicyMixin, SingleTableMixin, FilterView):
    template_name = "brugere/user_list.html"
    filterset_class = UserFilter
    table_class = UserTable
    table_pagination = {"per_page": DEFAULT_PER_PAGE, "paginator_class": BoundedPaginator}

    def get_queryset(self):
        return self.municipality_users()


class RefuseForeignPersonMixin:
    """Another municipality's person named in the form is a 404, as that person's page is."""

    def post(self, request, *args, **kwargs):
        refuse_foreign_ids(
            request.POST, ("person",), Person.objects.all(), request.user.municipality_id
        )
        return super().post(request, *args, **kwargs)


def _form_errors(form, error):
    """Put a service's ValidationError on the form, at its fields where it names them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class UserCreateView(AdministratorMixin, RefuseForeignPersonMixin, FormView):
    template_name = "brugere/user_form.html"
    form_class = UserForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipality": self.request.user.municipality}

    def form_valid(self, form):
        try:
            user = user_create(by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, CREATED)
        return redirect("brugere:update", pk=user.pk)


class UserUpdateView(AdministratorMixin, RefuseForeignPersonMixin, FormView):
    template_name = "brugere/user_form.html"
    form_class = UserForm

    def dispatch(self, request, *args, **kwargs):
        if is_administrator(request.user):
            self.object = get_object_or_404(self.municipality_users(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "municipality": self.request.user.municipality,
            "user": self.object,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "username"}
        try:
            user_update(by=self.request.user, user=self.object, **data)
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, SAVED)
        return redirect("brugere:list")


class PasswordLinkView(AdministratorMixin, View):
    """POST `/brugere/<id>/send-link/`: e-mail the user a link to set their password."""

    def post(self, request, pk):
        user = get_object_or_404(self.municipality_users(), pk=pk)
        try:
            user_password_link_send(
                by=request.user, user=user, base_url=request.build_absolute_uri("/")[:-1]
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, LINK_SENT % {"email": user.email})
        return redirect("brugere:update", pk=user.pk)
