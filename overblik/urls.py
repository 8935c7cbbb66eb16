from django.urls import path

from . import views

app_name = "overblik"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("overblik/", views.OverviewView.as_view(), name="overview"),
    path(
        "overblik/<slug:slug>/",
        views.SupportSystemView.as_view(),
        name="support_system_detail",
    ),
    path("projekter/<slug:slug>/", views.ProjectView.as_view(), name="project_detail"),
    path("snitflader/", views.InterfaceListView.as_view(), name="interface_list"),
    path("snitflader/<str:code>/", views.InterfaceView.as_view(), name="interface_detail"),
    path("arrangementer/", views.EventListView.as_view(), name="event_list"),
    path("arrangementer/<int:pk>.ics", views.event_ics, name="event_ics"),
]
