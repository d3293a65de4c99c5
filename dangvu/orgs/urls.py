from django.urls import path

from dangvu.audit.views import my_data
from dangvu.orgs import reorganise, views

app_name = "orgs"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.me, name="me"),
    path("me/data/", my_data, name="my_data"),  # the member's download of everything held about them
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/members/", views.unit_members, name="unit_members"),
    path("units/<int:pk>/members/new/", views.member_create, name="member_create"),
    path("units/<int:pk>/candidates/", views.unit_candidates, name="unit_candidates"),
    path("units/<int:pk>/candidates/new/", views.candidate_create, name="candidate_create"),
    path("units/<int:pk>/import/", views.import_start, name="import_start"),
    path("units/<int:pk>/merge/", reorganise.unit_merge, name="unit_merge"),
    path("units/<int:pk>/split/", reorganise.unit_split, name="unit_split"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/event/", views.member_event, name="member_event"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/edit/", views.candidate_edit, name="candidate_edit"),
    path("candidates/<int:pk>/stage/", views.candidate_stage, name="candidate_stage"),
    path("candidates/<int:pk>/admit/", views.candidate_admit, name="candidate_admit"),
    path("imports/template.xlsx", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_job, name="import_job"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import_apply"),
]
