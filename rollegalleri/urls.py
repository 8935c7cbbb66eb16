from django.urls import path

from . import views

app_name = "rollegalleri"

# Fixed paths come before "<slug:slug>/"; Role's slug validator keeps them free of role slugs.
urlpatterns = [
    path("", views.RoleListView.as_view(), name="list"),
    path("bemanding/", views.StaffingView.as_view(), name="staffing"),
    path("bemanding/eksport.xlsx", views.StaffingExportView.as_view(), name="staffing_export"),
    path("personer/", views.PersonListView.as_view(), name="person_list"),
    path("personer/ny/", views.PersonCreateView.as_view(), name="person_create"),
    path("personer/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("personer/<int:pk>/rediger/", views.PersonUpdateView.as_view(), name="person_update"),
    path("personer/<int:pk>/fratraed/", views.PersonRetireView.as_view(), name="person_retire"),
    path(
        "personer/<int:pk>/tildel/",
        views.RoleAssignmentCreateView.as_view(),
        name="assignment_create",
    ),
    path(
        "personer/tildelinger/<int:pk>/afslut/",
        views.RoleAssignmentEndView.as_view(),
        name="assignment_end",
    ),
    path("<slug:slug>/", views.RoleDetailView.as_view(), name="detail"),
]
