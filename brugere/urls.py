from django.urls import path

from . import views

app_name = "brugere"

urlpatterns = [
    path("", views.UserListView.as_view(), name="list"),
    path("ny/", views.UserCreateView.as_view(), name="create"),
    path("<int:pk>/", views.UserUpdateView.as_view(), name="update"),
    path("<int:pk>/send-link/", views.PasswordLinkView.as_view(), name="password_link"),
]
