from django.urls import path

from dangvu.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("units/<int:pk>/evaluation/", views.unit_evaluation, name="unit"),
    path("units/<int:pk>/evaluation/criteria/", views.unit_criteria, name="criteria"),
    path("evaluation/rounds/<int:pk>/", views.round_detail, name="round"),
    path("evaluation/ratings/<int:pk>/", views.rating_detail, name="rating"),
    path("account/evaluation/", views.my_evaluation, name="mine"),
]
