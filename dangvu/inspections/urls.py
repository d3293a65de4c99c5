from django.urls import path

from dangvu.inspections import views

app_name = "inspections"
urlpatterns = [
    path("units/<int:pk>/inspections/", views.unit_inspections, name="unit_inspections"),
    path("inspections/<int:pk>/", views.inspection_detail, name="detail"),
    path("account/inspections/", views.my_inspections, name="mine"),
]
