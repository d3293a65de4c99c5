from django.urls import path

from dangvu.essays import views

app_name = "essays"
urlpatterns = [
    path("campaigns/<int:pk>/essays/", views.campaign_essays, name="essays"),
    path("campaigns/<int:pk>/essays/upload/", views.bulk_upload, name="bulk_upload"),
    path("campaigns/<int:pk>/essays/upload/<str:token>/", views.bulk_preview, name="bulk_preview"),
    path("campaigns/<int:pk>/scan/", views.scan_start, name="scan_start"),
    path("essays/<int:pk>/", views.essay_detail, name="essay"),
    path("essays/<int:pk>/file/", views.essay_file, name="essay_file"),
    path("scans/<int:pk>/", views.scan_detail, name="scan"),
    path("scans/<int:pk>/pairs/<int:n>/", views.scan_pair, name="scan_pair"),
    path("so-tay/campaigns/<int:pk>/essay/", views.my_essay, name="my_essay"),
]
