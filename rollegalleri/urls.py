app_name = "rollegalleri"

# /roller/ and /roller/bemanding/ arrive with the role gallery.
urlpatterns: list = []
