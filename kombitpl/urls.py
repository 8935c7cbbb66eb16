from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portfolio.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
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
    path("", include("overblik.urls")),
]
