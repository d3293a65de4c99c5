from django.urls import path

from dangvu.training import views

app_name = "training"
urlpatterns = [
    path("units/<int:pk>/classes/", views.unit_classes, name="unit_classes"),
    path("classes/<int:pk>/", views.class_detail, name="class"),
    path("certificates/<int:pk>.docx", views.certificate, name="certificate"),
    path("members/<int:pk>/training/", views.member_training, name="member_training"),
]
