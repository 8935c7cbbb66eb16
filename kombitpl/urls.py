from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portfolio.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("klik/", include("klik.urls")),
    path("roller/", include("rollegalleri.urls")),
    path("", include("notifikationer.urls")),
    path("", include("overblik.urls")),
]
