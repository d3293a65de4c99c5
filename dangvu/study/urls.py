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
    path("sessions/<int:pk>/", views.attendance, name="attendance"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
]
