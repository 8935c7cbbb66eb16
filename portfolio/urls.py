from django.urls import path

from . import views

app_name = "portfolio"

urlpatterns = [
    path("overblik/", views.OverviewView.as_view(), name="overview"),
    path("overblik/<slug:slug>/", views.SupportSystemView.as_view(), name="support_system"),
    path("projekter/<slug:slug>/", views.ProjectView.as_view(), name="project"),
    path("snitflader/", views.InterfaceListView.as_view(), name="interfaces"),
    path("snitflader/<str:code>/", views.InterfaceView.as_view(), name="interface"),
    path("arrangementer/", views.EventListView.as_view(), name="events"),
    path("arrangementer/<int:pk>.ics", views.event_ics, name="event_ics"),
]
