from django.urls import path

from dangvu.targets import views

app_name = "targets"
urlpatterns = [
    path("units/<int:pk>/targets/", views.unit_targets, name="unit_targets"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("targets/<int:pk>/chart.png", views.target_chart, name="chart"),
]
