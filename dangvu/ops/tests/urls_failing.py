"""The project's URL conf plus a view that breaks, for the server-error record test."""

from django.urls import path

from dangvu.urls import urlpatterns as project


def breaks(request, pk):
    raise RuntimeError("Nguyễn Văn An's record is broken")  # a message naming a member: never kept


urlpatterns = [*project, path("units/<int:pk>/breaks/", breaks)]
