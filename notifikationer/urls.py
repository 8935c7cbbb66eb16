from django.urls import path, re_path

from . import views

app_name = "notifikationer"

urlpatterns = [
    path("notifikationer/", views.PreferencesView.as_view(), name="preferences"),
    path("notifikationer/kalender/", views.calendar_manage, name="calendar_manage"),
    path("notifikationer/afmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
    re_path(r"^kalender/(?P<token>[A-Za-z0-9_-]{20,64})\.ics$", views.calendar, name="calendar"),
]
