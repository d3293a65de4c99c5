from django.urls import path

from dangvu.meetings import views

app_name = "meetings"
urlpatterns = [
    path("units/<int:pk>/meetings/", views.unit_meetings, name="unit"),
    path("units/<int:pk>/dues/", views.unit_dues, name="dues"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("so-tay/meetings/", views.my_meetings, name="mine"),
]
