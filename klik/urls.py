from django.urls import path

from . import views

app_name = "klik"

urlpatterns = [
    path("", views.TaskListView.as_view(), name="list"),
    path("eksport.xlsx", views.TaskExportView.as_view(), name="export"),
    path("eksport/<uuid:pk>/", views.ExportJobView.as_view(), name="export_job"),
    path("eksport/<uuid:pk>/fil.xlsx", views.ExportJobFileView.as_view(), name="export_job_file"),
    path("<int:pk>/", views.TaskDetailView.as_view(), name="detail"),
]
