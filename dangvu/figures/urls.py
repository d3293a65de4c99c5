from django.urls import path

from dangvu.figures import views

app_name = "figures"
urlpatterns = [
    path("units/<int:pk>/figures/", views.dashboard, name="dashboard"),
    path("units/<int:pk>/figures/<str:key>/", views.figure_rows, name="rows"),
    path("units/<int:pk>/figures/<str:key>/chart.png", views.figure_chart, name="chart"),
    path("units/<int:pk>/figures/<str:key>/trend.png", views.figure_trend, name="trend"),
]
