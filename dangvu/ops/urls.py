from django.urls import path

from dangvu.ops import views

app_name = "ops"
urlpatterns = [
    path("ops/", views.operations, name="operations"),
]
