app_name = "klik"

# /klik/, /klik/eksport.xlsx and /klik/<id>/ arrive with the task list.
urlpatterns: list = []
