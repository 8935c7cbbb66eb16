app_name = "portfolio"

# /overblik/, /projekter/, /snitflader/, /arrangementer/ arrive with their pages.
urlpatterns: list = []
