from django.urls import path

from dangvu.study import views

app_name = "study"
urlpatterns = [
    path("units/<int:pk>/campaigns/", views.unit_campaigns, name="unit_campaigns"),
    path("units/<int:pk>/campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/cancel/", views.campaign_cancel, name="campaign_cancel"),
    path("campaigns/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("campaigns/<int:pk>/missing/", views.campaign_missing, name="missing"),
    path("campaigns/<int:pk>/essays/", views.campaign_essays, name="essays"),
    path("campaigns/<int:pk>/essays/upload/", views.bulk_upload, name="bulk_upload"),
    path("campaigns/<int:pk>/essays/upload/<str:token>/", views.bulk_preview, name="bulk_preview"),
    path("campaigns/<int:pk>/scan/", views.scan_start, name="scan_start"),
    path("sessions/<int:pk>/", views.attendance, name="attendance"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("essays/<int:pk>/", views.essay_detail, name="essay"),
    path("essays/<int:pk>/file/", views.essay_file, name="essay_file"),
    path("scans/<int:pk>/", views.scan_detail, name="scan"),
    path("scans/<int:pk>/pairs/<int:n>/", views.scan_pair, name="scan_pair"),
    path("so-tay/", views.notebook, name="notebook"),
    path("so-tay/campaigns/<int:pk>/essay/", views.my_essay, name="my_essay"),
]
