from django.urls import path

from dangvu.meetings import thematic_views, views

app_name = "meetings"
urlpatterns = [
    path("units/<int:pk>/meetings/", views.unit_meetings, name="unit"),
    path("units/<int:pk>/dues/", views.unit_dues, name="dues"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("so-tay/meetings/", views.my_meetings, name="mine"),
    path("units/<int:pk>/thematic-plans/", thematic_views.unit_plans, name="thematic_plans"),
    path("thematic-plans/<int:pk>/", thematic_views.plan_detail, name="thematic_plan"),
]
