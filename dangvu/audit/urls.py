from django.urls import path

from dangvu.audit import views

app_name = "audit"
urlpatterns = [
    path("units/<int:pk>/record-reads/", views.record_reads, name="record_reads"),
]
