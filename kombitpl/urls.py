from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portfolio.forms import LoginForm
from portfolio.views import LoginView, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The link the user administration e-mails: Django's password reset, set in our own look.
    path(
        "accounts/adgangskode/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/adgangskode/sat/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("klik/", include("klik.urls")),
    path("roller/", include("rollegalleri.urls")),
    path("brugere/", include("brugere.urls")),
    path("", include("notifikationer.urls")),
    path("", include("overblik.urls")),
]

handler500 = "portfolio.views.server_error"
