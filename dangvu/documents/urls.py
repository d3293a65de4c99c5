from django.urls import path

from dangvu.documents import views

app_name = "documents"
urlpatterns = [
    path("units/<int:pk>/documents/", views.document_list, name="list"),
    path("units/<int:pk>/documents/new/", views.document_create, name="create"),
    path("documents/<int:pk>/", views.document_detail, name="detail"),
    path("documents/<int:pk>/file/", views.document_file, name="file"),
    path("documents/<int:pk>/edit/", views.document_edit, name="edit"),
    path("documents/<int:pk>/withdraw/", views.document_withdraw, name="withdraw"),
]
