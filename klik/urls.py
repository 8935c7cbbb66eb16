from django.urls import path

from . import views
from .imports import views as import_views

app_name = "klik"

urlpatterns = [
    path("", views.TaskListView.as_view(), name="list"),
    path("eksport.xlsx", views.TaskExportView.as_view(), name="export"),
    path("eksport/<uuid:pk>/", views.ExportJobView.as_view(), name="export_job"),
    path("eksport/<uuid:pk>/fil.xlsx", views.ExportJobFileView.as_view(), name="export_job_file"),
    path("ny/", views.LocalTaskCreateView.as_view(), name="local_create"),
    path("<int:pk>/", views.TaskDetailView.as_view(), name="detail"),
    path("<int:pk>/pdf/", views.TaskPdfView.as_view(), name="pdf"),
    path("<int:pk>/rediger/", views.LocalTaskUpdateView.as_view(), name="local_update"),
    path("<int:pk>/slet/", views.LocalTaskDeleteView.as_view(), name="local_delete"),
    path("<int:pk>/eskalering/", views.EscalationView.as_view(), name="escalate"),
    path("massevis/", views.BulkUpdateView.as_view(), name="bulk"),
    path("filtre/", views.SavedFilterCreateView.as_view(), name="saved_filter_create"),
    path("filtre/<int:pk>/", views.SavedFilterUpdateView.as_view(), name="saved_filter"),
    path("import/", import_views.ImportView.as_view(), name="import"),
    path("import/<int:pk>/", import_views.ImportDetailView.as_view(), name="import_detail"),
    path("<int:pk>/bilag/", views.AttachmentAddView.as_view(), name="attachment_add"),
    path("bilag/<int:pk>/", views.attachment_download, name="attachment"),
    path("bilag/<int:pk>/fjern/", views.AttachmentRemoveView.as_view(), name="attachment_remove"),
]
